/**
 * The simple example of the multi-stream RFC: the same command on several hosts at once, with no
 * synchronisation. Run it on local streams, or on the hosts of a hosts file:
 *
 *   baton run examples/simple.ts
 *   baton run examples/simple.ts --hosts lab.hosts      # lab.hosts: `h1 = ssh://root@10.0.0.11` ...
 */
import type { ScenarioContext } from 'baton-lab';

export default async function simple({ hosts, open, group, params, log }: ScenarioContext): Promise<void> {
  const names = hosts.names().length > 0 ? hosts.names() : ['local', 'local', 'local'];
  const command =
    params.get<string>('command', null, 'uname -sr; hostname; echo "variant=${BATON_VARIANT:-none}"') ??
    'true';
  const streams = await Promise.all(names.map((host, index) => open(`host${index + 1}`, host)));
  const records = await group(streams).runFg(command);
  for (const record of records)
    log.info(`${record.stream} on ${record.host}: ${record.status} in ${record.durationMs} ms`);
}
