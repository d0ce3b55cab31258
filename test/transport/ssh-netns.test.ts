import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { isBatonError } from '../../src/errors.ts';
import { createTransport, parseHostSpec } from '../../src/transport/index.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { Transport } from '../../src/transport/transport.ts';
import { createLab } from '../helpers/netns.ts';
import { netnsTest } from '../helpers/tiers.ts';
import type { Lab, LabHost } from '../helpers/netns.ts';
import { waitFor } from '../helpers/wait.ts';
import { run, start } from './helpers.ts';
import { scratch } from './ssh-fixture.ts';

const KEEPALIVE = { keepaliveIntervalMs: 300, keepaliveCountMax: 2 };
const WINDOW_MS = KEEPALIVE.keepaliveIntervalMs * (KEEPALIVE.keepaliveCountMax + 1);

let lab: Promise<Lab> | undefined;
const theLab = () => (lab ??= createLab(3));
test.after.always(async () => {
  if (lab) await (await lab).teardown();
});

async function openOn(
  t: ExecutionContext,
  host: LabHost,
  options: TransportOptions = {},
): Promise<Transport> {
  const { privateKeyPath } = await theLab();
  const spec = { ...parseHostSpec(`ssh://root@${host.address}`, host.name), identityFiles: [privateKeyPath] };
  const transport = createTransport(spec, {
    knownHostsPath: host.sshd.knownHostsPath,
    sshConfigPath: scratch(t).emptyConfig,
    agentSocket: '',
    retries: 0,
    stream: `${host.name}-stream`,
    ...options,
  });
  t.teardown(() => transport.close());
  await transport.open();
  return transport;
}

netnsTest.serial('three namespace hosts run the same command concurrently', async (t) => {
  const { hosts } = await theLab();
  const streams = await Promise.all(hosts.map((host) => openOn(t, host)));
  const results = await Promise.all(
    streams.map((stream) =>
      run(stream, 'hostname; ip -o -4 addr show dev eth0 | awk "{print \\$4}"; exit 5'),
    ),
  );
  t.deepEqual(
    results.map((result) => [result.exitCode, result.stdout]),
    hosts.map((host) => [5, `${host.hostname}\n${host.address}/24\n`]),
  );
});

netnsTest.serial(
  'exposeService: a server of the controller on 127.0.0.1 is reached from a host',
  async (t) => {
    const [host] = (await theLab()).hosts;
    const server = createServer((socket) =>
      socket
        .on('error', () => undefined)
        .once('data', (data) => socket.end(`pong:${data.toString().trim()}\n`)),
    );
    t.teardown(() => server.close());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stream = await openOn(t, host);
    const exposed = await stream.exposeService('127.0.0.1', port);
    t.regex(exposed.address, /^127\.0\.0\.1:\d+$/);
    const [, remotePort] = exposed.address.split(':');
    const dial = `exec 3<>/dev/tcp/127.0.0.1/${remotePort}; echo "$(hostname)" >&3; read -r reply <&3; echo "$reply"`;
    const result = await run(stream, `bash -c '${dial}'`);
    t.is(result.stdout, `pong:${host.hostname}\n`, result.stderr);
    t.is(
      (await run(stream, `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}' 2>/dev/null; echo $?`)).stdout,
      '1\n',
      'the port itself is not on the host',
    );
    await exposed.close();
  },
);

netnsTest.serial(
  'a host whose link goes down is lost within the keepalive window; the others go on',
  async (t) => {
    const [first, second, third] = (await theLab()).hosts;
    const [alive, alsoAlive, doomed] = await Promise.all([
      openOn(t, first, KEEPALIVE),
      openOn(t, second, KEEPALIVE),
      openOn(t, third, KEEPALIVE),
    ]);
    const running = start(doomed, 'echo before; sleep 100');
    const elsewhere = start(alive, 'sleep 1; echo done');
    await waitFor(() => running.output.stdout.includes('before'), { what: 'output before the loss' });
    const downAt = Date.now();
    t.is(spawnSync('ip', ['-n', third.netns, 'link', 'set', 'eth0', 'down']).status, 0);
    t.teardown(() => void spawnSync('ip', ['-n', third.netns, 'link', 'set', 'eth0', 'up']));
    const error = await t.throwsAsync(running.done);
    const elapsed = Date.now() - downAt;
    t.true(isBatonError(error, 'HOST_LOST'), String(error));
    t.true(elapsed < WINDOW_MS * 3, `lost after ${elapsed} ms (window ${WINDOW_MS} ms)`);
    t.is(running.output.stdout, 'before\n');
    t.is(doomed.state, 'lost');
    t.is((await elsewhere.done).stdout, 'done\n');
    t.is((await run(alsoAlive, 'hostname')).stdout, `${second.hostname}\n`);
    await doomed.close();
  },
);
