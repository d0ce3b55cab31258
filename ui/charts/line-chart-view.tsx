import { lineChart } from './line-chart.ts';
import { Rows } from './rows-view.tsx';

export interface LineChartProps {
  values: readonly number[];
  width: number;
  height: number;
  format?: (value: number) => string;
}

/** A braille line chart of a numeric series (a stream's throughput, say), its range on the left axis. */
export function LineChart({ values, width, height, format }: LineChartProps) {
  return <Rows rows={lineChart(values, { width, height, ...(format ? { format } : {}) })} />;
}
