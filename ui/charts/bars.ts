import { fit, formatNumber } from './format.ts';

export interface Bar {
  label: string;
  value: number;
}

export interface BarsOptions {
  width: number;
  height: number;
  /** How a value is printed after its bar. @default formatNumber */
  format?: (value: number) => string;
}

const FULL = '█';
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * Horizontal bars, one row each (`label ████▍ value`), scaled to the largest value in eighths of a cell. Rows
 * past `height` are summed up in a last row `… N more`; every row is exactly `width` characters.
 */
export function horizontalBars(bars: readonly Bar[], options: BarsOptions): string[] {
  const { width, height, format = formatNumber } = options;
  if (width <= 0 || height <= 0) return [];
  const shown = bars.length > height ? bars.slice(0, height - 1) : bars;
  const values = shown.map((bar) => format(bar.value));
  const labelWidth = Math.min(Math.max(0, ...shown.map((bar) => bar.label.length)), Math.floor(width / 3));
  const valueWidth = Math.max(0, ...values.map((value) => value.length));
  const barWidth = Math.max(0, width - labelWidth - valueWidth - 2);
  const largest = Math.max(0, ...shown.map((bar) => bar.value));
  const rows = shown.map((bar, index) => {
    const label = fit(bar.label, labelWidth).padEnd(labelWidth);
    const drawn = block(largest > 0 ? (Math.max(0, bar.value) / largest) * barWidth : 0);
    return fit(`${label} ${drawn.padEnd(barWidth)} ${values[index].padStart(valueWidth)}`, width).padEnd(
      width,
    );
  });
  if (shown.length < bars.length) rows.push(fit(`… ${bars.length - shown.length} more`, width).padEnd(width));
  return rows;
}

/** `cells` cells of bar, in eighths. */
function block(cells: number): string {
  const eighths = Math.round(cells * 8);
  return FULL.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}
