/**
 * The migration-like example of the multi-stream RFC: a service started on host A (the origin) hands its
 * state to host B (the target) through the barrier data exchange, the client switches over, and both sides
 * check: the target that the state matches the origin's token, the origin that the target serves it before
 * it stops, the client that the target answers with the same token and the origin no longer answers.
 *
 *   baton run examples/handover.ts
 *   baton run examples/handover.ts --hosts lab.hosts --variants examples/handover.yaml
 *
 * Hosts: the first three of the hosts file (origin, target, client), else three local streams. Params (from
 * the variant tree, with defaults): port (8401; the target serves on port + 1), entries (20), mode (`inline`:
 * the state travels in the barrier's data; `fetch`: the target fetches it from the origin). Needs python3 and
 * curl on the hosts.
 */
import type { ScenarioContext } from 'baton-lab';
import { sh } from 'baton-lab';
import { awaitService, dataOf, hostAddress, WRITE_SERVE_PY } from './lib/service.ts';

/** Origin, target, client and this controller, at `serving` and `switched`. */
const MEMBERS = 4;

export default async function handover({
  hosts,
  open,
  group,
  barrier,
  params,
  log,
  whiteboard,
}: ScenarioContext) {
  const names = hosts.names().length >= 3 ? hosts.names() : ['local', 'local', 'local'];
  const [originHost = 'local', targetHost = 'local', clientHost = 'local'] = names;
  const port = Number(params.get('port', null, 8401));
  const entries = Number(params.get('entries', null, 20));
  const mode = params.get<string>('mode', null, 'inline') ?? 'inline';
  const wait = (name: string, count: number, data = '') =>
    `bash "$BATON_SYNC_SH" wait ${name} ${count} 60${data ? ` "${data}"` : ''}`;

  const origin = await open('origin', originHost);
  const target = await open('target', targetHost);
  const client = await open('client', clientHost);

  origin.runBg(
    sh(
      [
        WRITE_SERVE_PY,
        'dir="$BATON_TASK_DIR/www"; mkdir -p "$dir"',
        `seq -f 'entry-%g' ${entries} | paste -sd, > "$dir/state"`,
        'token=$(sha256sum "$dir/state" | cut -c1-16); echo "$token" > "$dir/token"',
        hostAddress(),
        `python3 "$BATON_TASK_DIR/serve.py" ${port} "$dir" >"$BATON_TASK_DIR/http.log" 2>&1 &`,
        `pid=$!; trap 'kill $pid 2>/dev/null' EXIT`,
        awaitService(port, 'pid'),
        `echo "origin: serving ${entries} entries, token $token, at $addr:${port}"`,
        `payload="$addr:${port} $token"${mode === 'inline' ? '" $(cat "$dir/state")"' : ''}`,
        `${wait('serving', MEMBERS, '$payload')} >/dev/null || exit`,
        `target=$(${wait('switched', MEMBERS)} | ${dataOf('target')})`,
        'test "$(curl -fsS "http://$target/token")" = "$token" || { echo "origin: $target does not serve token $token" >&2; exit 1; }',
        'echo "origin: target $target serves token $token, stopping"',
        'kill $pid; wait $pid 2>/dev/null; trap - EXIT',
        `${wait('stopped', 3)} >/dev/null`,
      ].join('\n'),
      { name: 'origin' },
    ),
  );
  target.runBg(
    sh(
      [
        WRITE_SERVE_PY,
        `set -- $(${wait('serving', MEMBERS)} | ${dataOf('origin')})`,
        'origin=$1 token=$2 inline=${3:-}',
        'dir="$BATON_TASK_DIR/www"; mkdir -p "$dir"',
        `if [ -n "$inline" ]; then printf '%s\\n' "$inline" > "$dir/state"; else curl -fsS "http://$origin/state" -o "$dir/state" || exit; fi`,
        'test "$(sha256sum "$dir/state" | cut -c1-16)" = "$token" || { echo "target: the state does not match token $token" >&2; exit 1; }',
        'echo "$token" > "$dir/token"',
        `echo "target: $(tr , '\\n' < "$dir/state" | wc -l) entries by ${mode}, token $token verified"`,
        hostAddress(),
        `python3 "$BATON_TASK_DIR/serve.py" ${port + 1} "$dir" >"$BATON_TASK_DIR/http.log" 2>&1 &`,
        `pid=$!; trap 'kill $pid 2>/dev/null' EXIT`,
        awaitService(port + 1, 'pid'),
        `${wait('switched', MEMBERS, `$addr:${port + 1}`)} >/dev/null || exit`,
        `${wait('stopped', 3)} >/dev/null || exit`,
        `${wait('done', 2)} >/dev/null || exit`,
        `echo "target: served token $token at $addr:${port + 1} until the client was done"`,
      ].join('\n'),
      { name: 'target' },
    ),
  );
  client.runBg(
    sh(
      [
        `set -- $(${wait('serving', MEMBERS)} | ${dataOf('origin')})`,
        'origin=$1 token=$2',
        'test "$(curl -fsS "http://$origin/token")" = "$token" || { echo "client: $origin does not serve token $token" >&2; exit 1; }',
        'echo "client: origin $origin serves token $token"',
        `target=$(${wait('switched', MEMBERS)} | ${dataOf('target')})`,
        `${wait('stopped', 3)} >/dev/null || exit`,
        'test "$(curl -fsS "http://$target/token")" = "$token" || { echo "client: $target does not serve token $token" >&2; exit 1; }',
        '! curl -fsS "http://$origin/token" >/dev/null 2>&1 || { echo "client: the origin $origin still answers" >&2; exit 1; }',
        'echo "client: switched to $target, token $token matches, origin stopped"',
        `${wait('done', 2)} >/dev/null`,
      ].join('\n'),
      { name: 'client' },
    ),
  );

  // The controller is a member of both exchanges: it reads what was handed over from the barriers' data.
  const serving = await barrier('serving', MEMBERS, { timeoutMs: 60_000 });
  const [originAddress, token] = (serving.data.origin?.toString() ?? '').split(' ');
  const switched = await barrier('switched', MEMBERS, { timeoutMs: 60_000 });
  const targetAddress = switched.data.target?.toString() ?? '';
  await group([origin, target, client]).wait();
  const lines = [
    `state: ${entries} entries, handed over by ${mode}, token ${token}`,
    `origin: ${originAddress} (${originHost})`,
    `target: ${targetAddress} (${targetHost})`,
  ];
  whiteboard.write(lines.join('\n') + '\n');
  for (const line of lines) log.info(line);
}
