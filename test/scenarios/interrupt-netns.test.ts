import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { netnsTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { LAB_HOST_ENV, labHostsFile, linkIsUp, namespaceProcesses } from './support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const script = fileURLToPath(new URL('../../sessions/disrupt.baton', import.meta.url));

/** The stdout files under a folder, recursively. */
function stdouts(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('stdout'))
    .map((path) => join(folder, path));
}

// SIGINT while the disrupt stream holds the service host's data link down: the finally section brings it up.
netnsTest.serial(
  'SIGINT of baton replay during disrupt: exit 130, data0 up again, nothing left on any host',
  async (t) => {
    t.timeout(400_000);
    const lab = await createLab(3, { dataLink: true });
    t.teardown(() => lab.teardown());
    const dir = scratchDir('baton-interrupt-netns-');
    const hosts = labHostsFile(lab, dir);
    const service = lab.hosts[0];
    const child = spawn(
      process.execPath,
      [bin, 'replay', script, '--headless', '--hosts', hosts, '--results', 'results'],
      {
        cwd: dir,
        env: { ...process.env, ...LAB_HOST_ENV, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    t.teardown(() => child.kill('SIGKILL'));

    await waitFor(() => !linkIsUp(service.netns, 'data0'), {
      timeoutMs: 110_000,
      pollIntervalMs: 10,
      what: 'the disrupt stream to take data0 down',
    });
    child.kill('SIGINT');
    t.is(await exited, 130, output);

    t.true(linkIsUp(service.netns, 'data0'), 'data0 is up again');
    const finallyRan = stdouts(join(dir, 'results')).some((path) =>
      readFileSync(path, 'utf8').includes('finally: data0 up'),
    );
    t.true(finallyRan, 'the finally section brought data0 up');
    // Only each host's sshd listener is left: no service, supervisor, load, check or session process.
    for (const host of lab.hosts) {
      const left = await waitFor(
        () => {
          const others = namespaceProcesses(host.netns).filter((line) => !/\[listener\]/.test(line));
          return others.length === 0 ? others : false;
        },
        { timeoutMs: 15_000, what: `the processes of ${host.name} to end` },
      ).catch(() => namespaceProcesses(host.netns));
      t.deepEqual(
        left.filter((line) => !/\[listener\]/.test(line)),
        [],
        `left running on ${host.name}`,
      );
    }
  },
);
