import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshExec } from './ssh-exec.ts';
import { startSshd } from './sshd.ts';
import { sshdTest } from './tiers.ts';

sshdTest('a private sshd on loopback runs a command over ssh2, checking its host key', async (t) => {
  const sshd = await startSshd();
  t.teardown(() => sshd.stop());
  const result = await sshExec(sshd, 'echo "sum=$((40+2))"; echo err >&2; exit 3');
  t.is(result.stdout, 'sum=42\n');
  t.is(result.stderr, 'err\n');
  t.is(result.code, 3);
});

sshdTest(
  'the OpenSSH client reaches the private sshd through the generated config and known_hosts',
  async (t) => {
    const sshd = await startSshd();
    t.teardown(() => sshd.stop());
    const config = join(sshd.dir, 'ssh_config');
    writeFileSync(config, sshd.clientConfig('lab'));
    const result = spawnSync('ssh', ['-F', config, 'lab', 'echo', 'over-openssh'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    t.is(result.stdout, 'over-openssh\n', result.stderr);
    t.is(result.status, 0);
  },
);

sshdTest('a host key other than the known one is refused', async (t) => {
  const sshd = await startSshd();
  t.teardown(() => sshd.stop());
  const other = await startSshd();
  t.teardown(() => other.stop());
  const error = await t.throwsAsync(sshExec({ ...sshd, hostKeyPublic: other.hostKeyPublic }, 'true'));
  t.regex(String(error?.message), /verif/i);
});
