// Pure helpers of the virtualised coverage matrix: which rows/columns are in view, and where a key moves.

/** A cell: r = -1 is the header row, c = 0 the criterion column (evidence columns are 1…cols). */
export type Cell = { r: number; c: number };

/**
 * The half-open range [from, to) of rows (or columns) of size `step` to render when the viewport
 * shows `size` pixels scrolled by `scroll`, `fixed` of which are taken by a sticky header (or column),
 * with `overscan` extra on each side.
 */
export function windowOf(scroll: number, size: number, fixed: number, step: number, count: number, overscan: number): [number, number] {
  const from = Math.max(0, Math.floor(scroll / step) - overscan);
  const to = Math.min(count, Math.ceil((scroll + size - fixed) / step) + overscan);
  return [from, Math.max(from, to)];
}

/** Where a key moves the active cell, or null when the key is not a move. `page` is rows per screen. */
export function keyTarget(key: string, ctrl: boolean, at: Cell, rows: number, cols: number, page: number): Cell | null {
  const moves: Record<string, [number, number]> = {
    ArrowUp: [at.r - 1, at.c],
    ArrowDown: [at.r + 1, at.c],
    ArrowLeft: [at.r, at.c - 1],
    ArrowRight: [at.r, at.c + 1],
    PageUp: [at.r - page, at.c],
    PageDown: [at.r + page, at.c],
    Home: ctrl ? [-1, 0] : [at.r, 0],
    End: ctrl ? [rows - 1, cols] : [at.r, cols],
  };
  const move = moves[key];
  if (!move) return null;
  return clamp({ r: move[0], c: move[1] }, rows, cols);
}

export function clamp(at: Cell, rows: number, cols: number): Cell {
  return { r: Math.max(-1, Math.min(rows - 1, at.r)), c: Math.max(0, Math.min(cols, at.c)) };
}

/** The scroll offset that brings the item at `offset` (of length `step`) into a view of `size`. */
export function scrollToShow(current: number, offset: number, step: number, size: number): number {
  if (offset < current) return offset;
  if (offset + step > current + size) return offset + step - size;
  return current;
}
