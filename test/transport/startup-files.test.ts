import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { readHostsFile } from '../../src/scenario/hosts-file.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import { createTransport } from '../../src/transport/index.ts';
import type { Transport } from '../../src/transport/transport.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { sshdUnavailableReason, startSshd } from '../helpers/sshd.ts';
import { optionalTier } from '../helpers/tier.ts';

/** A private home for the server's sessions is bind-mounted, which needs root. */
const privateHomeTest = optionalTier({
  name: 'sshd with a private home',
  requiredBy: 'BATON_TEST_SSHD',
  probe: () =>
    sshdUnavailableReason() ?? (process.getuid?.() === 0 ? undefined : 'a private home needs root'),
});

const RC_BIN = '/opt/baton-rc-bin';

/** A `.bashrc` that counts its runs, changes PATH, exports a variable and talks on stderr. */
function heavyRc(folder: string, name: string): { path: string; runs: () => number } {
  const count = join(folder, `${name}.runs`);
  const path = join(folder, name);
  writeFileSync(
    path,
    `echo ran >> ${count}\nexport PATH=${RC_BIN}:$PATH\nexport BATON_RC_RAN=yes\necho rc-talks-on-stderr >&2\n`,
  );
  const runs = () => {
    try {
      return readFileSync(count, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return { path, runs };
}

const SHOW = 'echo "path=$PATH"; echo "rc=${BATON_RC_RAN-unset}"';

privateHomeTest(
  'an ssh stream is a plain shell: the .bashrc that sshd makes bash source leaves no PATH, variable or stderr in blocks, and runs once per open',
  async (t) => {
    const home = scratchDir('baton-rc-home-');
    const rc = heavyRc(home, '.bashrc');
    const sshd = await startSshd({ home });
    t.teardown(() => sshd.stop());
    const folder = scratchDir('baton-rc-job-');
    const hosts = join(folder, 'lab.hosts');
    writeFileSync(
      hosts,
      `h1 = ssh://${sshd.user}@${sshd.host}:${sshd.port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`,
    );
    const journal = new Journal();
    const results = new ResultsFolder(folder, journal);
    const sync = await startJobSyncServer(journal);
    const controller = new Controller({ journal, results, sync, hosts: readHostsFile(hosts) });
    t.teardown(async () => {
      await controller.dispose();
      await sync.close();
      results.dispose();
    });

    await controller.execute({ kind: 'open', stream: 'a', host: 'h1' });
    t.is(
      rc.runs(),
      1,
      'opening a stream starts one login shell (its channel), which bash makes source .bashrc',
    );
    const [record] = await controller.execute({ kind: 'fg', target: 'a', block: SHOW });
    await controller.execute({ kind: 'fg', target: 'a', block: 'true' });
    const stdout = readFileSync(record.paths!.stdout, 'utf8');
    t.notRegex(stdout, new RegExp(RC_BIN), 'the block sees the PATH sshd gave, not the one .bashrc made');
    t.regex(stdout, /^path=.*\/bin/m);
    t.regex(stdout, /^rc=unset$/m);
    t.is(readFileSync(record.paths!.stderr, 'utf8'), '', 'what .bashrc says goes to no block');
    t.is(rc.runs(), 1, 'running tasks runs no rc file');
  },
);

/** A transport's output of `command`. */
async function outputOf(transport: Transport, command: string): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  await transport.exec({
    command,
    onStdout: (chunk) => (stdout += chunk.toString()),
    onStderr: (chunk) => (stderr += chunk.toString()),
  }).result;
  return { stdout, stderr };
}

test.serial(
  'local and pty streams read no rc file: BASH_ENV and ENV of the controller do not reach their shells',
  async (t) => {
    const folder = scratchDir('baton-rc-local-');
    const bashEnv = heavyRc(folder, 'bash_env');
    const shEnv = heavyRc(folder, 'sh_env');
    const saved = { BASH_ENV: process.env.BASH_ENV, ENV: process.env.ENV };
    process.env.BASH_ENV = bashEnv.path;
    process.env.ENV = shEnv.path;
    t.teardown(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    const transports = [
      createTransport({ kind: 'local', name: 'local' }, { shell: '/bin/bash' }),
      createTransport({ kind: 'local', name: 'local' }),
      createTransport({ kind: 'pty', name: 'pty' }, { shell: '/bin/sh' }),
      createTransport({ kind: 'pty', name: 'pty' }),
    ];
    for (const transport of transports) {
      t.teardown(() => transport.close());
      await transport.open();
      const { stdout, stderr } = await outputOf(transport, SHOW);
      t.notRegex(stdout, new RegExp(RC_BIN), transport.host.kind);
      t.regex(stdout, /rc=unset/, transport.host.kind);
      t.is(stderr, '', transport.host.kind);
    }
    t.is(bashEnv.runs() + shEnv.runs(), 0, 'no rc file ran');
  },
);
