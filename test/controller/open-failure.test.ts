import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../src/journal/reader.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { freePort, startSshd } from '../helpers/sshd.ts';
import { sshdTest } from '../helpers/tiers.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

sshdTest(
  'one host of three refuses connections: the job reports it and ends, the streams opened beside it closed',
  async (t) => {
    const sshd = await startSshd();
    t.teardown(() => sshd.stop());
    const folder = scratchDir('baton-open-failure-');
    const refused = await freePort();
    const line = (name: string, port: number) =>
      `${name} = ssh://${sshd.user}@${sshd.host}:${port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`;
    const hosts = join(folder, 'lab.hosts');
    writeFileSync(hosts, line('h1', sshd.port) + line('h2', sshd.port) + line('h3', refused));
    const run = await runCli(['run', join(examples, 'simple.ts'), '--hosts', hosts, '--results', folder]);
    t.is(run.code, 3, run.stdout + run.stderr);
    t.regex(run.stdout, /SSH_CONNECT_REFUSED: cannot open stream host3 on h3/);
    const { events } = readJournal(join(folder, 'latest', 'journal.jsonl'));
    for (const stream of ['host1', 'host2', 'host3']) {
      const states = events.flatMap((event) =>
        event.kind === 'stream-state' && event.stream === stream ? [event.state] : [],
      );
      t.is(states[0], 'opening', `${stream} is journalled opening before its open ends`);
      t.is(states.at(-1), 'closed', `${stream} ends closed`);
    }
    t.like(events.at(-1), { kind: 'job-end', status: 'error', exitCode: 3 });
  },
);
