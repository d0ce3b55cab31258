import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { isBatonError } from '../../src/errors.ts';
import { createTransport } from '../../src/transport/index.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { transportContract } from './contract.ts';
import { run, start } from './helpers.ts';
import { isolated, openSsh, scratch, sharedSshd, sshSpec } from './ssh-fixture.ts';

const sshd = sharedSshd(test);

transportContract('ssh', {
  test: sshdTest,
  open: async (t, options) => openSsh(t, await sshd(), options),
  terminal: false,
});

transportContract('ssh (exec channel per command)', {
  test: sshdTest,
  open: async (t, options) => openSsh(t, await sshd(), { execPerCommand: true, ...options }),
  terminal: false,
  probes: false,
});

sshdTest('ssh: commands queued at once run in order on the shell channel', async (t) => {
  const transport = await openSsh(t, await sshd());
  const results = await Promise.all(
    ['echo one', 'exit 4', 'printf two >&2', 'echo three'].map((c) => run(transport, c)),
  );
  t.deepEqual(
    results.map((result) => [result.exitCode, result.stdout, result.stderr]),
    [
      [0, 'one\n', ''],
      [4, '', ''],
      [0, '', 'two'],
      [0, 'three\n', ''],
    ],
  );
});

sshdTest('ssh: a shell that takes 2 s to start does not lose the first command', async (t) => {
  const server = await sshd();
  const transport = createTransport(
    sshSpec(server),
    isolated(server, t, { shell: "sh -c 'sleep 2; exec sh'" }),
  );
  t.teardown(() => transport.close());
  const opening = transport.open();
  const first = start(transport, 'echo first');
  await opening;
  t.is((await first.done).stdout, 'first\n');
});

sshdTest('ssh: streams on one host share one connection; each has its own shell', async (t) => {
  const server = await sshd();
  const options = isolated(server, t);
  const [one, two] = [createTransport(sshSpec(server), options), createTransport(sshSpec(server), options)];
  t.teardown(() => Promise.all([one.close(), two.close()]).then(() => undefined));
  await Promise.all([one.open(), two.open()]);
  const probe = 'echo "$SSH_CONNECTION $$"';
  const [a, b] = await Promise.all([run(one, probe), run(two, probe)]);
  const [connectionA, shellA] = [a.stdout.split(' ').slice(0, 2).join(' '), a.stdout.split(' ')[4]];
  const [connectionB, shellB] = [b.stdout.split(' ').slice(0, 2).join(' '), b.stdout.split(' ')[4]];
  t.is(connectionA, connectionB);
  t.not(shellA, shellB);
});

sshdTest(
  'ssh: channels are bounded per connection; a stream beyond the bound waits for a free one',
  async (t) => {
    const server = await sshd();
    const knownHosts = join(scratch(t).dir, 'known_hosts');
    copyFileSync(server.knownHostsPath, knownHosts);
    const options = isolated(server, t, { maxChannels: 3, knownHostsPath: knownHosts });
    const streams = [0, 1, 2].map(() => createTransport(sshSpec(server), options));
    t.teardown(() => Promise.all(streams.map((stream) => stream.close())).then(() => undefined));
    const [first, second, third] = streams;
    await Promise.all([first.open(), second.open()]);
    const waiting = third.open();
    await run(first, 'true');
    const work = await second.makeTempDir('bounded-');
    t.is(
      (await run(second, `test -d ${work} && echo ok`)).stdout,
      'ok\n',
      'the free channel still serves short commands',
    );
    t.is(third.state, 'opening');
    await first.close();
    await waiting;
    t.is((await run(third, 'echo third')).stdout, 'third\n');
  },
);

sshdTest('ssh: with pty=yes the shell has a terminal: merged output, typed input, resize', async (t) => {
  const server = await sshd();
  const transport = await openSsh(t, server, {}, sshSpec(server, { pty: true }));
  const merged = await run(transport, 'echo out; echo err >&2; tty >/dev/null && echo on-a-tty');
  t.is(merged.stdout, 'out\r\nerr\r\non-a-tty\r\n');
  t.is(merged.stderrCalls, 0);
  t.is((await run(transport, 'exit 3')).exitCode, 3);
  const reading = start(transport, 'read -r line; echo "got:$line"');
  transport.write('over ssh\n');
  t.is((await reading.done).stdout, 'got:over ssh\r\n');
  transport.resize(100, 30);
  t.is((await run(transport, 'stty size')).stdout, '30 100\r\n');
  const sleeping = start(transport, 'echo go; sleep 1000');
  await waitFor(() => sleeping.output.stdout.includes('go'), { what: 'the command to start' });
  await sleeping.execution.kill('SIGTERM');
  t.is((await sleeping.done).signal, 'SIGTERM');
});

sshdTest('ssh: a plain stream has no terminal to write to', async (t) => {
  const transport = await openSsh(t, await sshd());
  const error = t.throws(() => transport.write('x'));
  t.true(isBatonError(error, 'TRANSPORT_NO_TERMINAL'));
});
