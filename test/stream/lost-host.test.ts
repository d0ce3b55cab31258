import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { StreamGroup } from '../../src/stream/group.ts';
import { Stream } from '../../src/stream/stream.ts';
import { createTransport } from '../../src/transport/index.ts';
import { createLab } from '../helpers/netns.ts';
import { netnsTest } from '../helpers/tiers.ts';
import type { LabHost } from '../helpers/netns.ts';
import { waitFor } from '../helpers/wait.ts';
import { scratchDir } from '../helpers/scratch.ts';

const KEEPALIVE = { keepaliveIntervalMs: 300, keepaliveCountMax: 2 };

netnsTest.serial(
  'a namespace host whose link goes down mid-task: its stream is lost, the others go on',
  async (t) => {
    const lab = await createLab(2);
    t.teardown(() => lab.teardown());
    const journal = new Journal();
    const results = new ResultsFolder(scratchDir('baton-lost-'), journal);
    t.teardown(() => results.dispose());
    const open = (name: string, host: LabHost) =>
      Stream.open({
        name,
        journal,
        taskDir: (...args) => results.taskDir(...args),
        transport: createTransport(
          {
            kind: 'ssh',
            name: host.name,
            host: host.address,
            user: host.sshd.user,
            identityFiles: [lab.privateKeyPath],
            knownHostsFile: host.sshd.knownHostsPath,
          },
          { stream: name, ...KEEPALIVE, retries: 0 },
        ),
      });
    const [doomed, survivor] = await Promise.all([
      open('doomed', lab.hosts[0]),
      open('survivor', lab.hosts[1]),
    ]);
    t.teardown(() => Promise.all([doomed.close(), survivor.close()]).then(() => undefined));
    const outputs: string[] = [];
    journal.subscribe((event) => {
      if (event.kind === 'output' && event.stream === 'doomed') outputs.push(event.data);
    });

    const dying = doomed.runBg('echo before; sleep 100');
    const queuedBehind = doomed.runBg('echo never runs');
    survivor.runBg('echo first');
    await waitFor(() => outputs.join('').includes('before'), { what: 'output before the loss' });

    const cutAt = Date.now();
    spawnSync('ip', ['-n', lab.hosts[0].netns, 'link', 'set', 'eth0', 'down']);
    const record = await dying.done;
    t.like(record, { status: 'lost', code: 'HOST_LOST', lost: true });
    const window = KEEPALIVE.keepaliveIntervalMs * (KEEPALIVE.keepaliveCountMax + 1);
    t.true(
      Date.now() - cutAt < window * 4,
      `lost after ${Date.now() - cutAt} ms (keepalive window ${window} ms)`,
    );
    t.is(
      readFileSync(join(record.paths!.dir, 'stdout'), 'utf8'),
      'before\n',
      'output received before the loss is kept',
    );
    t.like(await queuedBehind.done, { status: 'lost', startedAt: null });
    t.is(doomed.state, 'lost');

    t.is((await survivor.runFg('echo still going')).status, 'passed');
    const records = await new StreamGroup([doomed, survivor]).wait({ ignoreErrors: true });
    t.deepEqual(
      records.map((each) => [each.stream, each.status]),
      [
        ['doomed', 'lost'],
        ['doomed', 'lost'],
        ['survivor', 'passed'],
        ['survivor', 'passed'],
      ],
    );
  },
);
