import test from 'ava';
import { isBatonError } from '../../src/errors.ts';
import { createTransport, parseHostSpec } from '../../src/transport/index.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { ExecutionContext } from 'ava';
import { transportContract } from './contract.ts';
import { run } from './helpers.ts';

async function openLocal(t: ExecutionContext, options: TransportOptions = {}) {
  const transport = createTransport(parseHostSpec('local'), options);
  t.teardown(() => transport.close());
  await transport.open();
  return transport;
}

transportContract('local', { test, open: openLocal, terminal: false });

test('local: a missing working directory fails the open with TRANSPORT_SPAWN_FAILED', async (t) => {
  const transport = createTransport(parseHostSpec('local'), { cwd: '/nonexistent/baton' });
  const error = await t.throwsAsync(transport.open());
  t.true(isBatonError(error, 'TRANSPORT_SPAWN_FAILED'), String(error));
  t.is(transport.state, 'closed');
});

test('local: no terminal to write to, and services keep their address', async (t) => {
  const transport = await openLocal(t);
  t.true(
    isBatonError(
      t.throws(() => transport.write('x')),
      'TRANSPORT_NO_TERMINAL',
    ),
  );
  const exposed = await transport.exposeService('127.0.0.1', 4321);
  t.is(exposed.address, '127.0.0.1:4321');
  t.is((await run(transport, 'echo "$0"')).stdout, '/bin/sh\n');
});
