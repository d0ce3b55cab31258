import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { createLab } from './netns.ts';
import { netnsTest } from './tiers.ts';
import type { LabHost } from './netns.ts';

netnsTest.serial(
  'three namespace hosts are three distinct hosts that reach each other over ssh',
  async (t) => {
    const lab = await createLab(3);
    t.teardown(() => lab.teardown());
    const [h1, h2, h3] = lab.hosts as [LabHost, LabHost, LabHost];

    const identities = await Promise.all(
      lab.hosts.map((host) =>
        lab.run(
          host,
          'hostname; ip -o -4 addr show dev eth0 | awk "{print \\$4}"; readlink /proc/self/ns/net',
        ),
      ),
    );
    const [names, addresses, netnsIds] = [0, 1, 2].map((line) =>
      identities.map((result) => result.stdout.split('\n')[line]),
    );
    t.deepEqual(
      names,
      lab.hosts.map((host) => host.hostname),
    );
    t.deepEqual(
      addresses,
      lab.hosts.map((host) => `${host.address}/24`),
    );
    t.is(new Set(netnsIds).size, 3);

    const sshTo = (from: LabHost, to: LabHost) =>
      lab.run(
        from,
        `ssh -o BatchMode=yes -o UserKnownHostsFile=${to.sshd.knownHostsPath} -i ${lab.privateKeyPath} ${to.address} hostname`,
      );
    t.is((await sshTo(h1, h2)).stdout.trim(), h2.hostname);
    t.is((await sshTo(h2, h3)).stdout.trim(), h3.hostname);
    t.is((await sshTo(h3, h1)).stdout.trim(), h1.hostname);
  },
);

netnsTest.serial('a host reaches a server of the controller bound to the bridge address', async (t) => {
  const lab = await createLab(1);
  t.teardown(() => lab.teardown());
  let server: Server | undefined;
  const received = new Promise<string>((resolve) => {
    server = createServer((socket) =>
      socket.on('error', () => undefined).once('data', (data) => resolve(data.toString().trim())),
    );
  });
  t.teardown(() => server?.close());
  await new Promise<void>((resolve) => server?.listen(0, lab.bridgeAddress, resolve));
  const { port } = server?.address() as AddressInfo;
  await lab.run(lab.hosts[0], `hostname > /dev/tcp/${lab.bridgeAddress}/${port}`);
  t.is(await received, lab.hosts[0].hostname);
});

netnsTest.serial('teardown removes the namespaces and links of a lab', async (t) => {
  const lab = await createLab(1);
  const namespace = lab.hosts[0].netns;
  await lab.teardown();
  t.false(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.includes(namespace));
  t.false(spawnSync('ip', ['link', 'show'], { encoding: 'utf8' }).stdout.includes(namespace.slice(0, 8)));
});
