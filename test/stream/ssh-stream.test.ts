import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { module, script } from '../../src/stream/block.ts';
import { Stream } from '../../src/stream/stream.ts';
import { createTransport } from '../../src/transport/index.ts';
import { startSshd } from '../helpers/sshd.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { assertOwnerOnly, openModesBlock } from './fetched-modes.ts';
import { assertFolderReuse } from './folder-reuse.ts';

const blocks = fileURLToPath(new URL('../fixtures/blocks/', import.meta.url));

/** A stream named `remote` on a private sshd, with a results folder; all closed by the test's teardown. */
async function remoteStream(t: ExecutionContext, env: Record<string, string> = {}): Promise<Stream> {
  const sshd = await startSshd();
  t.teardown(() => sshd.stop());
  const journal = new Journal();
  const results = new ResultsFolder(scratchDir('baton-ssh-stream-'), journal);
  t.teardown(() => results.dispose());
  const stream = await Stream.open({
    name: 'remote',
    journal,
    env,
    taskDir: (...args) => results.taskDir(...args),
    transport: createTransport(
      {
        kind: 'ssh',
        name: 'lab',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        identityFiles: [sshd.privateKeyPath],
      },
      { stream: 'remote', knownHostsPath: sshd.knownHostsPath, agentSocket: '', retries: 0 },
    ),
  });
  t.teardown(() => stream.close());
  return stream;
}

sshdTest(
  'on an ssh stream, script and module blocks are shipped, run on the host, and their data comes back',
  async (t) => {
    const stream = await remoteStream(t, {
      BATON_PARAMS: JSON.stringify({ name: 'far host' }),
      BATON_VARIANT: 'run-ssh-0001',
    });

    const scripted = await stream.runFg(script(join(blocks, 'greet.sh'), ['x']));
    t.is(readFileSync(scripted.paths!.stdout, 'utf8'), 'greeting world with 1 args: x\n');
    t.is(readFileSync(join(scripted.paths!.data, 'copied.txt'), 'utf8'), 'world\n');

    const moduled = await stream.runFg(module(join(blocks, 'module.ts#greet')));
    t.is(readFileSync(moduled.paths!.stdout, 'utf8'), 'HELLO FAR HOST IN RUN-SSH-0001\n');
    t.is(readFileSync(join(moduled.paths!.data, 'module.txt'), 'utf8'), 'written by a module block\n');
    t.is(readFileSync(join(moduled.paths!.dir, 'whiteboard'), 'utf8'), 'module whiteboard\n');

    for (const whiteboard of [false, true])
      assertOwnerOnly(t, await stream.runFg(openModesBlock(whiteboard)), whiteboard);

    const quiet = await stream.runFg('true');
    t.like(JSON.parse(readFileSync(join(quiet.paths!.dir, 'result.json'), 'utf8')), {
      status: 'passed',
      exitCode: 0,
    });
  },
);

sshdTest('on an ssh stream, a task folder left empty is given to the next task', async (t) => {
  await assertFolderReuse(t, await remoteStream(t));
});
