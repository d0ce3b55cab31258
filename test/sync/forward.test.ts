import { fileURLToPath } from 'node:url';
import { SyncClient } from '../../src/sync/client.ts';
import { openSsh } from '../transport/ssh-fixture.ts';
import { createLab } from '../helpers/netns.ts';
import { sshExec } from '../helpers/ssh-exec.ts';
import { startSshd } from '../helpers/sshd.ts';
import { netnsTest, sshdTest } from '../helpers/tiers.ts';
import { TOKEN, startServer } from './support.ts';

const script = fileURLToPath(new URL('../../src/sync/shell/baton-sync.sh', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

function memberCommand(address: string, member: string, command: string): string {
  return `BATON_SYNC_ADDR=${address} BATON_SYNC_TOKEN=${TOKEN} BATON_SYNC_MEMBER=${member} ${command}`;
}

sshdTest.serial(
  'S1: a member on the far side of an SSH connection reaches the loopback server through reverse forwarding',
  async (t) => {
    const server = await startServer(t);
    const sshd = await startSshd();
    t.teardown(() => sshd.stop());
    const transport = await openSsh(t, sshd);
    const forward = await transport.exposeService(server.address.host, server.address.port);
    t.teardown(() => forward.close());
    t.regex(forward.address, /^127\.0\.0\.1:\d+$/);
    t.not(forward.address, `127.0.0.1:${server.address.port}`);

    const local = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'console' });
    t.teardown(() => local.destroy());
    const remote = sshExec(
      sshd,
      memberCommand(forward.address, 'far', `bash ${script} wait tunnel 2 30 far-data`),
    );
    const release = await local.wait('tunnel', { count: 2, data: 'near-data' });
    const result = await remote;
    t.is(result.code, 0, result.stderr);
    t.is(release.data.far?.toString(), 'far-data');
    t.deepEqual(result.stdout.split('\n').filter(Boolean).sort(), ['console=near-data', 'far=far-data']);
    await forward.close();
    t.pass();
  },
);

netnsTest.serial(
  'members on three namespace hosts reach the server through SSH reverse forwarding and meet at one barrier',
  async (t) => {
    const server = await startServer(t);
    const lab = await createLab(3);
    t.teardown(() => lab.teardown());
    const forwards: { address: string }[] = [];
    for (const host of lab.hosts) {
      const transport = await openSsh(t, host.sshd, { knownHostsPath: host.sshd.knownHostsPath });
      const forward = await transport.exposeService(server.address.host, server.address.port);
      t.teardown(() => forward.close());
      forwards.push(forward);
    }
    const console = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'console' });
    t.teardown(() => console.destroy());
    const runs = lab.hosts.map((host, index) => {
      const address = forwards[index].address;
      const client =
        index === 0
          ? `node ${bin} sync wait lab 4 --data "$(hostname)"`
          : `bash ${script} wait lab 4 60 "$(hostname)"`;
      return lab.run(host, memberCommand(address, host.name, client));
    });
    const release = await console.wait('lab', { count: 4, timeoutMs: 60_000 });
    const results = await Promise.all(runs);
    for (const [index, result] of results.entries())
      t.is(result.code, 0, `${lab.hosts[index].name}: ${result.stderr}`);
    t.deepEqual([...release.members].sort(), ['console', 'h1', 'h2', 'h3']);
    for (const host of lab.hosts) {
      t.is(release.data[host.name]?.toString(), host.hostname);
      t.true(results.every((result) => result.stdout.includes(`${host.name}=${host.hostname}\n`)));
    }
  },
);
