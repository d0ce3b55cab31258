/**
 * The netperf example's pieces, shared by the scenario (examples/netperf.ts) and its block form
 * (examples/lib/netperf-block.ts): the iperf3 server and client scripts, and the report of their numbers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One client's measure: the total and each interval, in Gbit/s. */
export interface Throughput {
  stream: string;
  host: string;
  gbits: number;
  perSecond: number[];
}

/** A task's record as far as the report reads it. */
interface ClientRecord {
  stream: string;
  host: string;
  paths?: { data: string };
}

/** One iperf3 server a port, each serving one client; they are listening before the barrier is reached. */
export function serverScript(
  iperf3: string,
  ports: readonly number[],
  barrier: string,
  members: number,
): string {
  return [
    `command -v ${iperf3} >/dev/null || { echo "${iperf3}: command not found (apt-get install iperf3)" >&2; exit 127; }`,
    ...ports.map(
      (p) => `${iperf3} --server --one-off --port ${p} --json > "$BATON_TASK_DIR/server-${p}.json" &`,
    ),
    `for p in ${ports.join(' ')}; do n=0; until ss -ltn "sport = :$p" | grep -q LISTEN; do n=$((n+1)); [ $n -lt 200 ] || exit 3; sleep 0.05; done; done`,
    `bash "$BATON_SYNC_SH" wait ${barrier} ${members} 60`,
    'wait',
  ].join('\n');
}

/** A client measures once every member has reached the barrier; iperf3's JSON report goes to the task's data. */
export function clientScript(
  iperf3: string,
  target: { address: string; port: number },
  measure: { duration: number; parallel: number },
  barrier: string,
  members: number,
): string {
  return (
    `bash "$BATON_SYNC_SH" wait ${barrier} ${members} 60 >/dev/null && ` +
    `${iperf3} --client ${target.address} --port ${target.port} --time ${measure.duration} --parallel ${measure.parallel} --json > "$BATON_TASK_DIR/iperf3.json"`
  );
}

/** Each client task's throughput, read from the iperf3.json its task brought back. */
export function throughputOf(records: readonly ClientRecord[]): Throughput[] {
  return records.map((record) => {
    const report = JSON.parse(readFileSync(join(record.paths?.data ?? '', 'iperf3.json'), 'utf8')) as {
      intervals: { sum: { bits_per_second: number } }[];
      end: { sum_received: { bits_per_second: number } };
    };
    return {
      stream: record.stream,
      host: record.host,
      gbits: round(report.end.sum_received.bits_per_second / 1e9),
      perSecond: report.intervals.map((interval) => round(interval.sum.bits_per_second / 1e9)),
    };
  });
}

/** A line a client, then the same as a chart: the whiteboard's text. */
export function throughputReport(rows: readonly Throughput[], serverAddress: string): string[] {
  const lines = rows.map(
    (row) => `${row.stream} (${row.host}) -> ${serverAddress}: ${row.gbits.toFixed(2)} Gbit/s`,
  );
  return [...lines, '', 'Gbit/s', ...chart(rows)];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Horizontal bars scaled to the fastest client, in eighths of a cell, then each client's Gbit/s per interval. */
function chart(rows: readonly Throughput[], width = 40): string[] {
  const largest = Math.max(...rows.map((row) => row.gbits), Number.MIN_VALUE);
  const label = Math.max(...rows.map((row) => row.stream.length));
  const bar = (value: number) => {
    const eighths = Math.round((value / largest) * width * 8);
    return (
      '█'.repeat(Math.floor(eighths / 8)) + ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8]
    ).padEnd(width);
  };
  return [
    ...rows.map((row) => `${row.stream.padEnd(label)} ${bar(row.gbits)} ${row.gbits.toFixed(2)}`),
    ...rows.map(
      (row) =>
        `${row.stream.padEnd(label)} per interval: ${row.perSecond.map((v) => v.toFixed(2)).join(' ')}`,
    ),
  ];
}
