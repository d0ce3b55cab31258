/**
 * The scale tier: 100 streams over three namespace hosts with OpenSSH's stock limits, each running tasks, every
 * record written. It takes 10 s to a minute or more on a loaded machine, so it runs only when asked
 * (BATON_TEST_SCALE=1, which .ci/run sets).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { readHostsFile } from '../../src/scenario/hosts-file.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import { sharedSshPool } from '../../src/transport/ssh-pool.ts';
import { createLab, netnsUnavailableReason } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { optionalTier } from '../helpers/tier.ts';

const scaleTest = optionalTier({
  name: 'scale',
  requiredBy: 'BATON_TEST_SCALE',
  probe: () =>
    process.env.BATON_TEST_SCALE === '1'
      ? netnsUnavailableReason()
      : 'runs only when asked (BATON_TEST_SCALE=1)',
});

const STREAMS = 100;
const TASKS = 10;

scaleTest.serial(
  `${STREAMS} streams over three namespace hosts with stock sshd limits, ${TASKS} tasks each: every record written`,
  async (t) => {
    const lab = await createLab(3, { stockLimits: true });
    t.teardown(() => lab.teardown());
    const folder = scratchDir('baton-lab-scale-');
    const hostsFile = join(folder, 'lab.hosts');
    writeFileSync(
      hostsFile,
      lab.hosts
        .map(
          (host) =>
            `${host.name} = ssh://root@${host.address} known_hosts=${host.sshd.knownHostsPath} identity=${lab.privateKeyPath}\n`,
        )
        .join(''),
    );
    const journal = new Journal();
    const results = new ResultsFolder(folder, journal);
    const sync = await startJobSyncServer(journal);
    const controller = new Controller({ journal, results, sync, hosts: readHostsFile(hostsFile) });
    t.teardown(async () => {
      await controller.dispose();
      await sync.close();
      results.dispose();
    });
    const streams = Array.from({ length: STREAMS }, (_, index) => ({
      name: `s${String(index).padStart(3, '0')}`,
      host: lab.hosts[index % lab.hosts.length].name,
    }));
    await Promise.all(
      streams.map(({ name, host }) => controller.execute({ kind: 'open', stream: name, host })),
    );
    t.true(sharedSshPool.size >= 3 * 4, `${STREAMS} streams on stock hosts need several connections each`);
    const records = (
      await Promise.all(
        streams.map(async ({ name }) => {
          const handles = await controller.execute({
            kind: 'bg',
            target: name,
            block: `echo "$BATON_SYNC_MEMBER $(hostname)"`,
          });
          for (let task = 2; task <= TASKS; task++) {
            handles.push(...(await controller.execute({ kind: 'bg', target: name, block: 'true' })));
          }
          return Promise.all(handles.map((handle) => handle.done));
        }),
      )
    ).flat();
    t.is(records.length, STREAMS * TASKS);
    t.is(records.filter((record) => record.status === 'passed').length, STREAMS * TASKS);
    const written = records.filter((record) => {
      const result = join(record.paths!.dir, 'result.json');
      return (
        existsSync(result) &&
        (JSON.parse(readFileSync(result, 'utf8')) as { status: string }).status === 'passed'
      );
    });
    t.is(written.length, STREAMS * TASKS, 'every task has its result.json');
    const first = records.find((record) => record.stream === 's099');
    const host = lab.hosts[99 % 3];
    t.is(readFileSync(first!.paths!.stdout, 'utf8'), `s099 ${host.hostname}\n`);
  },
);
