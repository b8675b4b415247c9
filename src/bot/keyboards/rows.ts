/**
 * Rows of at most `size` buttons. Keyboards are built from whole rows, never with `row()` after a
 * row that may be empty: Telegram keeps an empty row, and clients show it as a blank strip.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
