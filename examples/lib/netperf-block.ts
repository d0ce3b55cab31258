/**
 * The netperf example as a block that opens its own streams: queued on a stream of another scenario
 * (`stress.runBg(module('examples/lib/netperf-block.ts#netperf'))`, as examples/disrupt.ts does), it runs on
 * that stream's host, opens a server and client streams there, lines them up at the controller's barrier
 * `netperf` and measures their throughput with iperf3 over the host's loopback. The nested streams' folders,
 * the numbers (data/throughput.json) and the chart (the whiteboard) come back under the block's task folder.
 *
 * Params (from the variant, with defaults): netperf_port (5301), netperf_duration (3 s), netperf_clients (2),
 * netperf_parallel (1).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockContext } from 'baton-lab';
import { sh } from 'baton-lab';
import { clientScript, serverScript, throughputOf, throughputReport } from './iperf3.ts';

export async function netperf({
  open,
  group,
  params,
  dataDir,
  whiteboard,
  log,
}: BlockContext): Promise<void> {
  const port = Number(params.get('netperf_port', 5301));
  const duration = Number(params.get('netperf_duration', 3));
  const clientCount = Number(params.get('netperf_clients', 2));
  const parallel = Number(params.get('netperf_parallel', 1));
  const members = clientCount + 1;
  const address = '127.0.0.1';

  const server = await open('server', 'local');
  const clients = [];
  for (let index = 1; index <= clientCount; index++) clients.push(await open(`client${index}`, 'local'));
  const ports = clients.map((_, index) => port + index);
  server.runBg(sh(serverScript('iperf3', ports, 'netperf', members), { name: 'iperf3-servers' }));
  clients.forEach((client, index) =>
    client.runBg(
      sh(
        clientScript('iperf3', { address, port: ports[index] }, { duration, parallel }, 'netperf', members),
        {
          name: 'iperf3-client',
        },
      ),
    ),
  );
  const records = await group([server, ...clients]).wait();

  const throughput = throughputOf(records.filter((record) => record.stream !== server.name));
  const report = throughputReport(throughput, address);
  writeFileSync(join(dataDir, 'throughput.json'), JSON.stringify(throughput, null, 2) + '\n');
  whiteboard.write(report.join('\n') + '\n');
  for (const line of report.slice(0, throughput.length)) log(line);
}
