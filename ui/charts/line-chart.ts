import { formatNumber } from './format.ts';

export interface LineChartOptions {
  width: number;
  height: number;
  /** How the axis labels (the highest and lowest value) are printed. @default formatNumber */
  format?: (value: number) => string;
}

// The dot bits of a braille cell, by row (0-3) then column (0-1): U+2800 plus their sum.
const DOTS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

/**
 * A line chart of a numeric series in braille (2x4 dots a cell), its highest and lowest value on a left axis.
 * The last points that fit are shown, spread over the plot's width; `height` rows of exactly `width` characters.
 */
export function lineChart(values: readonly number[], options: LineChartOptions): string[] {
  const { width, height, format = formatNumber } = options;
  if (width <= 0 || height <= 0) return [];
  const finite = values.filter(Number.isFinite);
  // The axis is sized for the points a one-character axis would show, then labels the points that fit.
  const labelWidth = Math.min(
    axisLabels(finite.slice(-(width - 2) * 2), format).maxLength,
    Math.max(0, width - 2),
  );
  const plotWidth = width - labelWidth - 1;
  const points = finite.slice(-plotWidth * 2);
  const labels = axisLabels(points, format).labels;
  const cells = plot(points, plotWidth, height);
  return cells.map((row, index) => {
    const label = index === 0 ? labels[0] : index === height - 1 ? labels[1] : '';
    const axis = index === 0 || index === height - 1 ? '┤' : '│';
    const dots = row.map((bits) => (bits === 0 ? ' ' : String.fromCharCode(0x2800 + bits))).join('');
    return (label.slice(0, labelWidth).padStart(labelWidth) + axis + dots).slice(0, width);
  });
}

function axisLabels(points: readonly number[], format: (value: number) => string) {
  const labels = points.length === 0 ? ['', ''] : [format(Math.max(...points)), format(Math.min(...points))];
  return { labels, maxLength: Math.max(labels[0].length, labels[1].length) };
}

/** The braille bits of each cell, the points joined by straight segments. */
function plot(points: readonly number[], columns: number, rows: number): number[][] {
  const cells = Array.from({ length: rows }, () => new Array<number>(Math.max(0, columns)).fill(0));
  if (columns <= 0 || points.length === 0) return cells;
  const dotsWide = columns * 2;
  const dotsHigh = rows * 4;
  const low = Math.min(...points);
  const span = Math.max(...points) - low;
  const x = (index: number) => (points.length === 1 ? 0 : (index * (dotsWide - 1)) / (points.length - 1));
  // All-equal values draw a line across the middle.
  const y = (value: number) => (span === 0 ? (dotsHigh - 1) / 2 : ((value - low) / span) * (dotsHigh - 1));
  const set = (dotX: number, dotY: number) => {
    const column = Math.round(dotX);
    const row = dotsHigh - 1 - Math.round(dotY);
    cells[Math.floor(row / 4)][Math.floor(column / 2)] |= DOTS[row % 4][column % 2];
  };
  set(x(0), y(points[0]));
  for (let index = 1; index < points.length; index++) {
    const [x0, y0, x1, y1] = [x(index - 1), y(points[index - 1]), x(index), y(points[index])];
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let step = 1; step <= steps; step++)
      set(x0 + ((x1 - x0) * step) / steps, y0 + ((y1 - y0) * step) / steps);
  }
  return cells;
}
