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
  return row(name, times, options.note);
}

export interface Case {
  name: string;
  task: () => Promise<unknown>;
  note?: string;
}

/**
 * Measure several ways side by side: after a warm-up of each, `rounds` rounds in which every case runs its
 * share of `iterations` in turn, so that a slow spell of the machine falls on all of them alike.
 */
export async function measureInterleaved(
  iterations: number,
  cases: readonly Case[],
  { rounds = 20, warmup = 20 } = {},
): Promise<Row[]> {
  const times = cases.map(() => [] as number[]);
  for (const { task } of cases) for (let index = 0; index < warmup; index++) await task();
  for (let round = 0; round < rounds; round++) {
    const share = Math.floor(iterations / rounds) + (round < iterations % rounds ? 1 : 0);
    for (const [position, { task }] of cases.entries()) {
      for (let index = 0; index < share; index++) {
        const started = performance.now();
        await task();
        times[position].push(performance.now() - started);
      }
    }
  }
  return cases.map(({ name, note }, position) => row(name, times[position], note));
}

function row(name: string, times: number[], note: string | undefined): Row {
  times.sort((a, b) => a - b);
  return {
    name,
    iterations: times.length,
    medianMs: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    ...(note ? { note } : {}),
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
