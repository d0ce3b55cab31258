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
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioContext } from 'baton-lab';
import { sh } from 'baton-lab';
import { clientScript, serverScript, throughputOf, throughputReport } from './lib/iperf3.ts';

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
  const serverAddress =
    params.get<string>('server_address', null, spec.kind === 'ssh' ? spec.host : '127.0.0.1') ?? '127.0.0.1';
  const members = clientHosts.length + 2;

  const server = await open('server', serverHost);
  const clients = await Promise.all(clientHosts.map((host, index) => open(`client${index + 1}`, host)));

  const ports = clientHosts.map((_, index) => port + index);
  server.runBg(sh(serverScript(iperf3, ports, 'ready', members), { name: 'iperf3-servers' }));
  clients.forEach((client, index) =>
    client.runBg(
      sh(
        clientScript(
          iperf3,
          { address: serverAddress, port: ports[index] },
          { duration, parallel },
          'ready',
          members,
        ),
        { name: 'iperf3-client' },
      ),
    ),
  );

  await barrier('ready', members, { timeoutMs: 60_000 });
  const records = await group([server, ...clients]).wait();

  const throughput = throughputOf(records.filter((r) => r.stream.startsWith('client')));
  const report = throughputReport(throughput, serverAddress);
  for (const line of report.slice(0, throughput.length)) log.info(line);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'throughput.json'), JSON.stringify(throughput, null, 2) + '\n');
  whiteboard.write(report.join('\n') + '\n');
}
