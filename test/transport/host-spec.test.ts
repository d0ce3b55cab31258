import test from 'ava';
import { isBatonError } from '../../src/errors.ts';
import { describeHost, parseHostSpec } from '../../src/transport/index.ts';

test('local, pty, ssh URLs and aliases', (t) => {
  t.deepEqual(parseHostSpec('local'), { kind: 'local', name: 'local' });
  t.deepEqual(parseHostSpec('pty', 'console'), { kind: 'pty', name: 'console' });
  t.deepEqual(parseHostSpec('ssh://lab@10.200.1.11:2222'), {
    kind: 'ssh',
    name: 'ssh://lab@10.200.1.11:2222',
    host: '10.200.1.11',
    user: 'lab',
    port: 2222,
  });
  t.deepEqual(parseHostSpec('ssh://server.example'), {
    kind: 'ssh',
    name: 'ssh://server.example',
    host: 'server.example',
  });
  t.deepEqual(parseHostSpec('ssh://[::1]:22'), {
    kind: 'ssh',
    name: 'ssh://[::1]:22',
    host: '::1',
    port: 22,
  });
  t.deepEqual(parseHostSpec('labhost', 'h1'), { kind: 'ssh', name: 'h1', host: 'labhost' });
  t.deepEqual(parseHostSpec('root@labhost'), {
    kind: 'ssh',
    name: 'root@labhost',
    host: 'labhost',
    user: 'root',
  });
});

test('bad specs are HOST_BAD_SPEC', (t) => {
  for (const text of [
    'ssh://',
    'ssh://host:0',
    'ssh://host:99999',
    'ssh://host:port',
    'two words',
    'http://x',
    '',
  ]) {
    const error = t.throws(() => parseHostSpec(text));
    t.true(isBatonError(error, 'HOST_BAD_SPEC'), `${text}: ${String(error)}`);
  }
});

test('a host reads as written', (t) => {
  t.is(describeHost(parseHostSpec('ssh://lab@h:2222')), 'lab@h:2222');
  t.is(describeHost(parseHostSpec('alias')), 'alias');
  t.is(describeHost(parseHostSpec('pty')), 'pty');
});
