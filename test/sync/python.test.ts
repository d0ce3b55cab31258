import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SyncClient } from '../../src/sync/client.ts';
import { waitFor } from '../helpers/wait.ts';
import { TOKEN, startServer } from './support.ts';

const client = fileURLToPath(new URL('../../src/sync/python/baton_sync.py', import.meta.url));

/** Run the Python client as a block would: environment in, exit code and output out. */
function python(
  address: string,
  member: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [client, ...args], {
      env: { ...process.env, BATON_SYNC_ADDR: address, BATON_SYNC_TOKEN: TOKEN, BATON_SYNC_MEMBER: member },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('I1: the Python client waits with a node client at one barrier and they exchange data', async (t) => {
  const server = await startServer(t);
  const node = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'node' });
  t.teardown(() => node.destroy());
  const py = python(server.addressText, 'py', ['wait', 'meet', '2', '30', 'from python é']);
  const release = await node.wait('meet', { count: 2, data: 'from node' });
  const result = await py;
  t.is(result.code, 0, result.stderr);
  t.is(release.data.py?.toString(), 'from python é');
  t.deepEqual(result.stdout.trim().split('\n').sort(), ['node=from node', 'py=from python é']);
});

test('I1, F5: the Python client exits 4 on ABORTED, 5 on TIMEOUT, 2 on usage, 3 on a refused token', async (t) => {
  const server = await startServer(t);
  const aborter = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'aborter' });
  t.teardown(() => aborter.destroy());
  const waiting = python(server.addressText, 'py', ['wait', 'doomed', '3', '30']);
  await waitFor(async () => (await aborter.status('doomed')).some((line) => line.fields.arrived === 'py'), {
    what: 'the Python member to arrive',
  });
  await aborter.abort('doomed', 'test');
  const aborted = await waiting;
  t.is(aborted.code, 4);
  t.regex(aborted.stderr, /ABORTED doomed/);
  const timedOut = await python(server.addressText, 'py2', ['wait', 'lonely', '2', '0.2']);
  t.is(timedOut.code, 5);
  t.regex(timedOut.stderr, /TIMEOUT lonely/);
  t.is((await python(server.addressText, 'py3', ['bogus'])).code, 2);
  const refused = await new Promise<number | null>((resolve) => {
    const child = spawn('python3', [client, 'wait', 'x', '2'], {
      env: {
        ...process.env,
        BATON_SYNC_ADDR: server.addressText,
        BATON_SYNC_TOKEN: 'wrong',
        BATON_SYNC_MEMBER: 'm',
      },
    });
    child.once('close', resolve);
  });
  t.is(refused, 3);
});
