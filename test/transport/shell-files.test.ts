import test from 'ava';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sessionChannelsOpened } from '../../src/transport/ssh-connection.ts';
import type { Transport } from '../../src/transport/transport.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { openSsh, sharedSshd } from './ssh-fixture.ts';

const sshd = sharedSshd(test);

async function run(transport: Transport, command: string): Promise<{ code: number | null; out: string }> {
  let out = '';
  const result = await transport.exec({
    command,
    onStdout: (chunk) => (out += chunk.toString('latin1')),
    onStderr: (chunk) => (out += chunk.toString('latin1')),
  }).result;
  return { code: result.exitCode, out };
}

sshdTest.serial(
  'files travel through the stream shell: no channel beyond the shell, every byte kept, and a failed upload leaves the shell whole',
  async (t) => {
    const server = await sshd();
    const before = sessionChannelsOpened();
    const transport = await openSsh(t, server);
    const remote = await transport.makeTempDir('baton-files-');
    const local = scratchDir('baton-shell-files-');
    const everyByte = Buffer.from(Array.from({ length: 256 * 40 }, (_, index) => index % 256));
    writeFileSync(join(local, 'bytes.bin'), everyByte, { mode: 0o751 });
    mkdirSync(join(local, 'folder', 'inner'), { recursive: true });
    writeFileSync(join(local, 'folder', 'inner', 'note.txt'), 'a note\n');
    writeFileSync(join(local, 'folder', 'top.txt'), 'top\n');

    await transport.upload(join(local, 'bytes.bin'), `${remote}/up/bytes.bin`);
    await transport.upload(join(local, 'folder'), `${remote}/up/folder`);
    const listed = await run(
      transport,
      `cd ${remote}/up && ls -l bytes.bin | cut -c1-10 && cat folder/inner/note.txt folder/top.txt && cksum < bytes.bin`,
    );
    t.is(listed.code, 0, listed.out);
    t.regex(listed.out, /^-rwxr-x--x\na note\ntop\n/);

    const back = join(local, 'back');
    t.true(await transport.download(`${remote}/up`, back));
    t.deepEqual(readFileSync(join(back, 'bytes.bin')), everyByte);
    t.is(readFileSync(join(back, 'folder', 'inner', 'note.txt'), 'utf8'), 'a note\n');
    t.is(statSync(join(back, 'bytes.bin')).mode & 0o077, 0, 'fetched files are owner-only');
    t.false(await transport.download(`${remote}/missing`, join(local, 'nothing')));

    // A file where a folder must go: the store fails before it reads, and the bytes must not reach the loop.
    await t.throwsAsync(transport.upload(join(local, 'bytes.bin'), `${remote}/up/bytes.bin/under`), {
      code: 'TRANSPORT_COPY_FAILED',
    } as never);
    const after = await run(transport, 'echo still-whole');
    t.deepEqual(after, { code: 0, out: 'still-whole\n' });
    t.is(sessionChannelsOpened() - before, 1, 'the shell channel is the only one');
  },
);
