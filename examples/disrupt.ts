/**
 * The stress-and-disrupt example of the multi-stream RFC: a load runs in the background against a service
 * while another stream disrupts the service in the foreground (kills its process, which its supervisor
 * restarts, or takes its host's data link down and up), and a third stream checks that it recovers.
 *
 *   baton run examples/disrupt.ts
 *   baton run examples/disrupt.ts --hosts lab.hosts --variants examples/disrupt.yaml
 *
 * Hosts: the first three of the hosts file (service and disrupt, load, check), else three local streams.
 * Params (from the variant tree, with defaults): port (8501), action (`restart` or `link`), link (`data0`,
 * the data link, never the one the ssh connection uses), downtime (2 s), workers (1). The link action
 * refuses to run outside a network namespace. Needs python3 and curl on the hosts. With netperf (false), a
 * fifth stream on the load's host runs the netperf example as a block beside the load (the nested case): a block
 * that opens its own server and client streams there, whose folders nest under its task's (needs iperf3 and node).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioContext } from 'baton-lab';
import { module, sh } from 'baton-lab';
import { awaitService, dataOf, hostAddress, WRITE_SERVE_PY } from './lib/service.ts';

export default async function disrupt({
  hosts,
  open,
  group,
  barrier,
  params,
  log,
  whiteboard,
}: ScenarioContext) {
  const names = hosts.names().length >= 3 ? hosts.names() : ['local', 'local', 'local'];
  const [serviceHost = 'local', loadHost = 'local', checkHost = 'local'] = names;
  const port = Number(params.get('port', null, 8501));
  const action = params.get<string>('action', null, 'restart') ?? 'restart';
  const link = params.get<string>('link', null, 'data0') ?? 'data0';
  const downtime = Number(params.get('downtime', null, 2));
  const workers = Number(params.get('workers', null, 1));
  const nested = params.get<boolean>('netperf', null, false) === true;
  // The service's own folder: namespace hosts share one filesystem, and labs may run side by side.
  const pidfile = '"$BATON_TASK_DIR/server.pid"';
  const wait = (name: string, count: number, data = '') =>
    `bash "$BATON_SYNC_SH" wait ${name} ${count} 60${data ? ` "${data}"` : ''}`;

  const service = await open('service', serviceHost);
  const disruptor = await open('disrupt', serviceHost);
  const load = await open('load', loadHost);
  const check = await open('check', checkHost);
  const stress = nested ? await open('stress', loadHost) : undefined;
  const inNamespace = '[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ]';

  service.runBg(
    sh(
      [
        WRITE_SERVE_PY,
        'dir="$BATON_TASK_DIR/www"; mkdir -p "$dir"',
        `token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \\n'); echo "$token" > "$dir/token"`,
        hostAddress(link),
        `( n=0; until [ -e "$dir/stop" ] || [ $n -gt 20 ]; do python3 "$BATON_TASK_DIR/serve.py" ${port} "$dir" >>"$BATON_TASK_DIR/http.log" 2>&1 & echo $! > ${pidfile}; wait $!; n=$((n+1)); [ -e "$dir/stop" ] || echo "service: started again ($n)"; done ) &`,
        `sup=$!; trap 'touch "$dir/stop"; kill $(cat ${pidfile}) 2>/dev/null; rm -f ${pidfile}' EXIT`,
        awaitService(port, 'sup'),
        `echo "service: serving token $token at $addr:${port}"`,
        `${wait('up', 4, `$addr:${port} $token`)} >/dev/null || exit`,
        `${wait('end', 3)} >/dev/null || exit`,
        `touch "$dir/stop"; kill $(cat ${pidfile}); wait $sup; rm -f ${pidfile}; trap - EXIT`,
        'echo "service: stopped"',
      ].join('\n'),
      { name: 'service' },
    ),
  );
  load.runBg(
    sh(
      [
        `set -- $(${wait('up', 4)} | ${dataOf('service')}); url="http://$1/token"`,
        `for w in $(seq ${workers}); do ( ok=0 failed=0; until [ -e "$BATON_TASK_DIR/stop" ]; do if curl -fsS -m 1 "$url" >/dev/null 2>&1; then ok=$((ok+1)); else failed=$((failed+1)); fi; done; echo "load: worker $w: $ok ok, $failed failed" ) & done`,
        `${wait('end', 3)} >/dev/null; rc=$?`,
        'touch "$BATON_TASK_DIR/stop"; wait',
        'exit $rc',
      ].join('\n'),
      { name: 'load' },
    ),
  );
  check.runBg(
    sh(
      [
        `set -- $(${wait('up', 4)} | ${dataOf('service')}); url="http://$1/token" token=$2`,
        'test "$(curl -fsS -m 2 "$url")" = "$token" || { echo "check: $url does not serve token $token" >&2; exit 1; }',
        'echo "check: $url serves token $token before the disruption"',
        `${wait('checked', 2)} >/dev/null || exit`,
        `${wait('disrupted', 2)} >/dev/null || exit`,
        'start=$(date +%s%N); n=0',
        'until [ "$(curl -fsS -m 1 "$url" 2>/dev/null)" = "$token" ]; do n=$((n+1)); [ $n -lt 600 ] || { echo "check: $url did not recover" >&2; exit 1; }; sleep 0.05; done',
        'echo "check: the service recovered after $(( ($(date +%s%N) - start) / 1000000 )) ms, token $token"',
      ].join('\n'),
      { name: 'check' },
    ),
  );

  const netperf = stress?.runBg(
    module(`${fileURLToPath(new URL('./lib/netperf-block.ts', import.meta.url))}#netperf`),
  );

  try {
    await barrier('up', 4, { timeoutMs: 60_000 });
    await barrier('checked', 2, { timeoutMs: 60_000 });
    const disruption =
      action === 'link'
        ? [
            `${inNamespace} || { echo "disrupt: not in a network namespace: ${link} stays up" >&2; exit 2; }`,
            `ip link set ${link} down && echo "disrupt: ${link} down for ${downtime} s"`,
            `sleep ${downtime}`,
            `ip link set ${link} up && echo "disrupt: ${link} up"`,
          ]
        : [
            `pid=$(ss -ltnpH 'sport = :${port}' | sed -n 's/.*pid=\\([0-9]*\\).*/\\1/p' | head -1)`,
            `test -n "$pid" || { echo "disrupt: nothing listens on port ${port}" >&2; exit 1; }`,
            'kill $pid && echo "disrupt: killed the service (pid $pid)"',
          ];
    await disruptor.runFg(sh(disruption.join('\n'), { name: action }));
    await barrier('disrupted', 2, { timeoutMs: 60_000 });
    const [checked] = await check.wait();
    await barrier('end', 3, { timeoutMs: 60_000 });
    await group(stress ? [service, load, stress] : [service, load]).wait();
    const recovered = /recovered after (\d+) ms/.exec(
      checked?.paths ? readFileSync(checked.paths.stdout, 'utf8') : '',
    )?.[1];
    const line = `${action} with ${workers} load worker(s)${netperf ? ' and netperf nested' : ''}: the service answered again${recovered ? ` after ${recovered} ms` : ''}`;
    const measured = netperf ? readFileSync(join((await netperf.done).paths!.dir, 'whiteboard'), 'utf8') : '';
    whiteboard.write(line + '\n' + (measured ? `\nnetperf, nested on ${loadHost}:\n${measured}` : ''));
    log.info(line);
  } finally {
    // Whatever happened, the data link is up again.
    if (action === 'link')
      await disruptor.runFg(
        sh(`if ${inNamespace} && ip link show ${link} >/dev/null 2>&1; then ip link set ${link} up; fi`, {
          name: 'link-up',
        }),
        { ignoreErrors: true },
      );
  }
}
