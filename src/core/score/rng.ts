/** FNV-1a hash of a string to 32 bits: derives independent, order-free seeds from (seed, context). */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mulberry32 over a 32-bit state: a small, fast, seedable generator of unsigned 32-bit integers. */
export function mulberry32Uint(state: number): () => number {
  let a = state | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Mulberry32 as floats in [0, 1): the same seed gives the same sequence (reproducible bootstrap CIs). */
export function mulberry32(state: number): () => number {
  const next = mulberry32Uint(state);
  return () => next() / 4294967296;
}

const mixSeed = (seed: number, context: string): number => hashString(context, hashString(String(seed))) || 0x9e3779b9;

/** A seeded generator of 32-bit unsigned integers (mulberry32), for hot loops (bootstrap indices, sign flips). */
export function seededUint32(seed: number, context = ''): () => number {
  return mulberry32Uint(mixSeed(seed, context));
}

/**
 * A seeded generator of floats in [0, 1) (mulberry32). Seeds are mixed with a context string so that e.g. the
 * tie-break of one item does not depend on how many items were scored before it.
 */
export function seededRandom(seed: number, context = ''): () => number {
  return mulberry32(mixSeed(seed, context));
}
