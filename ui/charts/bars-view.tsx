import type { Bar } from './bars.ts';
import { horizontalBars } from './bars.ts';
import { Rows } from './rows-view.tsx';

export interface BarsProps {
  bars: readonly Bar[];
  width: number;
  height: number;
  format?: (value: number) => string;
}

/** Horizontal bars (task durations, barrier waits), one row each. */
export function Bars({ bars, width, height, format }: BarsProps) {
  return <Rows rows={horizontalBars(bars, { width, height, ...(format ? { format } : {}) })} />;
}
