/** Timing of repeated tasks and the table that reports them. */
import { performance } from 'node:perf_hooks';

export interface Row {
  name: string;
  iterations: number;
  medianMs: number;
  p99Ms: number;
  note?: string;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Run `task` `warmup` times unmeasured, then `iterations` times, one after the other. */
export async function measure(
  name: string,
  iterations: number,
  task: () => Promise<unknown>,
  options: { warmup?: number; note?: string } = {},
): Promise<Row> {
  for (let index = 0; index < (options.warmup ?? Math.min(20, iterations)); index++) await task();
  const times: number[] = [];
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    name,
    iterations,
    medianMs: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    ...(options.note ? { note: options.note } : {}),
  };
}

export function table(rows: Row[], floor: Row): string {
  const header = ['how a `true` task reaches the shell', 'tasks', 'median ms', 'p99 ms', 'x floor', 'note'];
  const lines = rows.map((row) => [
    row.name,
    String(row.iterations),
    row.medianMs.toFixed(3),
    row.p99Ms.toFixed(3),
    (row.medianMs / floor.medianMs).toFixed(2),
    row.note ?? '',
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => line[column].length)),
  );
  const leftAligned = (column: number) => column === 0 || column === header.length - 1;
  const format = (cells: string[]) => {
    const padded = cells.map((cell, column) =>
      leftAligned(column) ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
    );
    return `| ${padded.join(' | ')} |`;
  };
  const rule = widths.map((width, column) =>
    leftAligned(column) ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`,
  );
  return [format(header), `|${rule.join('|')}|`, ...lines.map(format)].join('\n');
}
