import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { parseHostsFile } from '../../src/scenario/hosts-file.ts';
import { sharedSshPool } from '../../src/transport/ssh-pool.ts';
import { startSshd } from '../helpers/sshd.ts';
import { sshdTest } from '../helpers/tiers.ts';

sshdTest(
  "50 streams opened at once on one host with OpenSSH's default limits (MaxSessions 10, MaxStartups 10:30:100), each running tasks",
  async (t) => {
    const sshd = await startSshd({ stockLimits: true });
    t.teardown(() => sshd.stop());
    const hosts = parseHostsFile(
      `lab = ssh://${sshd.user}@${sshd.host}:${sshd.port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`,
      'lab.hosts',
    );
    const controller = new Controller({ journal: new Journal(), hosts });
    t.teardown(() => controller.dispose());
    const names = Array.from({ length: 50 }, (_, index) => `s${index}`);
    await Promise.all(names.map((stream) => controller.execute({ kind: 'open', stream, host: 'lab' })));
    t.true(sharedSshPool.size >= 7, `50 streams need several connections, got ${sharedSshPool.size}`);
    for (let round = 1; round <= 3; round++) {
      const records = (
        await Promise.all(
          names.map((stream) =>
            controller.execute({ kind: 'fg', target: stream, block: `echo ${stream}-${round}` }),
          ),
        )
      ).flat();
      t.is(records.filter((record) => record.status === 'passed').length, 50);
    }
    const state = controller.snapshot();
    t.is(state.tasks['s49/03'].stdout, 's49-3\n');
    await controller.closeStreams();
    t.is(sharedSshPool.size, 0, 'the last stream of a connection closes it');
  },
);
