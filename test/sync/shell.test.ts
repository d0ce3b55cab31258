import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyncServer } from '../../src/sync/server.ts';
import { SyncClient } from '../../src/sync/client.ts';
import { waitFor, letTimePass } from '../helpers/wait.ts';
import { TOKEN, startServer } from './support.ts';

const script = fileURLToPath(new URL('../../src/sync/shell/baton-sync.sh', import.meta.url));

interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runShell(
  server: SyncServer | undefined,
  member: string,
  args: string[],
  env: Record<string, string> = {},
) {
  const child = spawn('bash', [script, ...args], {
    env: {
      PATH: process.env.PATH,
      ...(server ? { BATON_SYNC_ADDR: server.addressText } : {}),
      BATON_SYNC_TOKEN: TOKEN,
      BATON_SYNC_MEMBER: member,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<ShellRun>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

async function arrived(client: SyncClient, barrier: string, members: string): Promise<void> {
  await waitFor(async () => (await client.status(barrier))[0]?.fields.arrived === members, {
    what: `${members} at ${barrier}`,
  });
}

test('I1: the bash fallback waits on the real server, exchanges data with a node client, and exits 0 on GO', async (t) => {
  const server = await startServer(t);
  const node = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'node1' });
  t.teardown(() => node.destroy());
  const dir = mkdtempSync(join(tmpdir(), 'baton-shell-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const hostile = `port=5432 $(touch ${dir}/pwned) \`touch ${dir}/pwned2\` % é`;
  const shell = runShell(server, 'sh1', ['wait', 'ports', '2', '30', hostile]);
  const release = await node.wait('ports', { count: 2, data: 'from node' });
  const result = await shell.done;
  t.is(result.code, 0, result.stderr);
  t.is(release.data.sh1?.toString(), hostile);
  t.deepEqual(result.stdout.split('\n').filter(Boolean).sort(), [`node1=from node`, `sh1=${hostile}`]);
  t.false(existsSync(join(dir, 'pwned')) || existsSync(join(dir, 'pwned2')));
});

test('I1: the bash fallback reads large data from DATA lines before GO', async (t) => {
  const server = await startServer(t);
  const node = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'big' });
  t.teardown(() => node.destroy());
  const shell = runShell(server, 'sh1', ['wait', 'large', '2']);
  await node.wait('large', { count: 2, data: 'z'.repeat(6000) });
  const result = await shell.done;
  t.is(result.code, 0);
  t.is(result.stdout, `big=${'z'.repeat(6000)}\n`);
});

test('I1: the bash fallback uses the same exit codes: 4 ABORTED, 5 TIMEOUT, 6 LOST, 7 CANCELLED, 2 ERR, 3 unreachable or refused', async (t) => {
  const server = await startServer(t, { graceMs: 100 });
  const boss = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'boss' });
  t.teardown(() => boss.destroy());

  t.is((await runShell(server, 's', ['wait', 'slow', '2', '0.1']).done).code, 5);

  const aborted = runShell(server, 's', ['wait', 'doomed', '2']);
  await arrived(boss, 'doomed', 's');
  t.is((await runShell(server, 'other', ['abort', 'doomed', 'no way']).done).code, 0);
  const abortResult = await aborted.done;
  t.is(abortResult.code, 4);
  t.regex(abortResult.stderr, /ABORTED doomed gen=1 by=other reason=no%20way/);

  const victim = await SyncClient.connect({
    address: server.address,
    token: TOKEN,
    member: 'victim',
    reconnect: false,
  });
  void victim.wait('fragile', { count: 3 }).catch(() => undefined);
  const losing = runShell(server, 's', ['wait', 'fragile', '3']);
  await arrived(boss, 'fragile', 'victim,s');
  victim.destroy();
  t.is((await losing.done).code, 6);

  const cancelling = runShell(server, 's', ['wait', 'patient', '2']);
  await arrived(boss, 'patient', 's');
  cancelling.child.kill('SIGINT');
  t.is((await cancelling.done).code, 7);

  const sized = boss.wait('sized', { count: 3 }).catch(() => undefined);
  await arrived(boss, 'sized', 'boss');
  t.is((await runShell(server, 's', ['wait', 'sized', '2']).done).code, 2);
  await boss.cancel('sized');
  await sized;

  t.is((await runShell(server, 's', ['status'], { BATON_SYNC_TOKEN: 'wrong' }).done).code, 3);
  t.is((await runShell(undefined, 's', ['status'], { BATON_SYNC_ADDR: '127.0.0.1:1' }).done).code, 3);
  t.is((await runShell(undefined, 's', ['wait', 'x', '2']).done).code, 2);
});

test('R4: the bash fallback sends heartbeats, so a long wait is not taken for a lost member', async (t) => {
  // Heartbeats every 300 ms against a 1.5 s silence limit: a window a loaded machine cannot miss.
  const server = await startServer(t, { heartbeatMs: 300, graceMs: 1200 });
  const node = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'node1' });
  t.teardown(() => node.destroy());
  const shell = runShell(server, 'sh1', ['wait', 'long', '2']);
  await arrived(node, 'long', 'sh1');
  await letTimePass(2500); // well past the silence limit: only heartbeats keep the shell member alive
  await node.wait('long', { count: 2 });
  t.is((await shell.done).code, 0);
});

test('P4: the bash fallback prints STATUS lines', async (t) => {
  const server = await startServer(t);
  const node = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'node1' });
  t.teardown(() => node.destroy());
  void node.wait('gate', { count: 2 }).catch(() => undefined);
  await arrived(node, 'gate', 'node1');
  const result = await runShell(server, 'sh1', ['status']).done;
  t.is(result.code, 0);
  t.regex(result.stdout, /^BARRIER gate gen=1 state=open count=2 arrived=node1 /);
});

test('I1: sourced into a block, baton-sync runs in the calling shell and leaves its options and traps as they were', async (t) => {
  const server = await startServer(t);
  const block = [
    `source ${script}`,
    "trap 'echo caught' USR1",
    'baton-sync wait solo 1 5 hello',
    'echo "rc=$?"',
    "[[ $- == *f* ]] && echo 'noglob leaked' || echo 'options kept'",
    'trap -p USR1',
    'trap -p INT | grep -q . && echo "INT trap leaked" || echo "no INT trap"',
  ].join('\n');
  const child = spawn('bash', ['-c', block], {
    env: {
      PATH: process.env.PATH,
      BATON_SYNC_ADDR: server.addressText,
      BATON_SYNC_TOKEN: TOKEN,
      BATON_SYNC_MEMBER: 'blk',
    },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 0);
  t.deepEqual(stdout.split('\n').filter(Boolean), [
    'blk=hello',
    'rc=0',
    'options kept',
    "trap -- 'echo caught' SIGUSR1",
    'no INT trap',
  ]);
});
