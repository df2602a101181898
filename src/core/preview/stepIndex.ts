/**
 * The index `delta` steps from `current` in a list of `length`, wrapping around (next after the last is the
 * first). An unknown current (-1) steps to the first (delta > 0) or the last (delta < 0) item.
 */
export function stepIndex(current: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  if (current < 0 || current >= length) return delta >= 0 ? 0 : length - 1;
  return (((current + delta) % length) + length) % length;
}
