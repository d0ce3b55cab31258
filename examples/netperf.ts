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
 */
import { readFileSync } from 'node:fs';
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
  for (const record of records.filter((r) => r.stream.startsWith('client'))) {
    const report = JSON.parse(readFileSync(join(record.paths?.data ?? '', 'iperf3.json'), 'utf8')) as {
      end: { sum_received: { bits_per_second: number } };
    };
    const gbits = report.end.sum_received.bits_per_second / 1e9;
    lines.push(`${record.stream} (${record.host}) -> ${serverAddress}: ${gbits.toFixed(2)} Gbit/s`);
  }
  whiteboard.write(lines.join('\n') + '\n');
  for (const line of lines) log.info(line);
}
