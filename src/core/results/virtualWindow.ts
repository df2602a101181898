/** Rows `[start, end)` a virtualised list renders, and the spacer heights above and below them. */
export interface VirtualWindow {
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * Which rows of a fixed-height list are visible at a scroll position, plus `overscan` rows either side so
 * fast scrolling never shows a gap. Only these rows are in the DOM: cost is independent of the row count.
 */
export function virtualWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): VirtualWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.min(total, Math.max(0, first - overscan));
  const end = Math.min(total, first + Math.ceil(Math.max(0, viewportHeight) / rowHeight) + overscan);
  return { start, end: Math.max(start, end), padTop: start * rowHeight, padBottom: (total - Math.max(start, end)) * rowHeight };
}
