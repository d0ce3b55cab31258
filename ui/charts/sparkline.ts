const LEVELS = '▁▂▃▄▅▆▇█';

/**
 * One row of block characters for the last `width` values, scaled from 0 (or the lowest value, when negative)
 * to the highest; fewer values than `width` leave blanks on the right. All-equal values draw the lowest block.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width).map((value) => (Number.isFinite(value) ? value : 0));
  if (shown.length === 0) return ' '.repeat(width);
  const low = Math.min(0, ...shown);
  const span = Math.max(...shown) - low;
  const top = LEVELS.length - 1;
  const row = shown.map((value) => LEVELS[span === 0 ? 0 : Math.round(((value - low) / span) * top)]);
  return row.join('').padEnd(width);
}
