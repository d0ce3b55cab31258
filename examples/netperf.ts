/**
 * The netperf-style example of the multi-stream RFC: a server stream and client streams lined up by a
 * barrier, measuring TCP throughput with iperf3 (Debian: `apt-get install iperf3`, on every host).
 *
 * The first host of the hosts file runs the servers, the others the clients; without a hosts file,
 * three local streams play the three parts over loopback.
 *
 *   baton run examples/netperf.ts
 *   baton run examples/netperf.ts --hosts lab.hosts --variants examples/netperf.yaml
 *
 * Params (from the variant tree, with defaults): port (5201), duration (2 s), parallel (1 stream per client),
 * server_address (the server host's address as the clients see it), iperf3 (the command, `iperf3`).
 *
 * Each client's throughput (the total and per interval) goes to data/throughput.json and to the whiteboard,
 * as lines and as a chart.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioContext } from 'baton-lab';
import { sh } from 'baton-lab';

export default async function netperf({
  hosts,
  open,
  group,
  barrier,
  params,
  log,
  whiteboard,
  dataDir,
}: ScenarioContext): Promise<void> {
  const names = hosts.names().length >= 2 ? hosts.names() : ['local', 'local', 'local'];
  const [serverHost = 'local', ...clientHosts] = names;
  const port = Number(params.get('port', null, 5201));
  const duration = Number(params.get('duration', null, 2));
  const parallel = Number(params.get('parallel', null, 1));
  const iperf3 = params.get<string>('iperf3', null, 'iperf3') ?? 'iperf3';
  const spec = hosts.resolve(serverHost);
  const serverAddress = params.get<string>(
    'server_address',
    null,
    spec.kind === 'ssh' ? spec.host : '127.0.0.1',
  );
  const members = clientHosts.length + 2;

  const server = await open('server', serverHost);
  const clients = await Promise.all(clientHosts.map((host, index) => open(`client${index + 1}`, host)));

  const ports = clientHosts.map((_, index) => port + index);
  server.runBg(
    sh(
      [
        `command -v ${iperf3} >/dev/null || { echo "${iperf3}: command not found (apt-get install iperf3)" >&2; exit 127; }`,
        ...ports.map(
          (p) => `${iperf3} --server --one-off --port ${p} --json > "$BATON_TASK_DIR/server-${p}.json" &`,
        ),
        `for p in ${ports.join(' ')}; do n=0; until ss -ltn "sport = :$p" | grep -q LISTEN; do n=$((n+1)); [ $n -lt 200 ] || exit 3; sleep 0.05; done; done`,
        `bash "$BATON_SYNC_SH" wait ready ${members} 60`,
        'wait',
      ].join('\n'),
      { name: 'iperf3-servers' },
    ),
  );
  clients.forEach((client, index) =>
    client.runBg(
      sh(
        `bash "$BATON_SYNC_SH" wait ready ${members} 60 >/dev/null && ` +
          `${iperf3} --client ${serverAddress} --port ${ports[index]} --time ${duration} --parallel ${parallel} --json > "$BATON_TASK_DIR/iperf3.json"`,
        { name: 'iperf3-client' },
      ),
    ),
  );

  await barrier('ready', members, { timeoutMs: 60_000 });
  const records = await group([server, ...clients]).wait();

  const lines: string[] = [];
  const throughput: { stream: string; host: string; gbits: number; perSecond: number[] }[] = [];
  for (const record of records.filter((r) => r.stream.startsWith('client'))) {
    const report = JSON.parse(readFileSync(join(record.paths?.data ?? '', 'iperf3.json'), 'utf8')) as {
      intervals: { sum: { bits_per_second: number } }[];
      end: { sum_received: { bits_per_second: number } };
    };
    const gbits = report.end.sum_received.bits_per_second / 1e9;
    const perSecond = report.intervals.map((interval) => round(interval.sum.bits_per_second / 1e9));
    throughput.push({ stream: record.stream, host: record.host, gbits: round(gbits), perSecond });
    lines.push(`${record.stream} (${record.host}) -> ${serverAddress}: ${gbits.toFixed(2)} Gbit/s`);
  }
  for (const line of lines) log.info(line);
  // The numbers, then the same as a chart: one bar a client, and each client's intervals.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'throughput.json'), JSON.stringify(throughput, null, 2) + '\n');
  whiteboard.write([...lines, '', 'Gbit/s', ...chart(throughput)].join('\n') + '\n');
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Horizontal bars scaled to the fastest client, in eighths of a cell, then each client's Gbit/s per interval. */
function chart(
  rows: readonly { stream: string; gbits: number; perSecond: number[] }[],
  width = 40,
): string[] {
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
