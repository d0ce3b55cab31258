import test from 'ava';
import { fileURLToPath } from 'node:url';
import { readHosts } from '../../src/hosts/read-hosts.ts';

const example = fileURLToPath(new URL('../../examples/lab.hosts.example', import.meta.url));

test('the example hosts file of the tour reads as three ssh hosts, the user from the environment', (t) => {
  const book = readHosts(example, { cwd: '/', env: { LAB_USER: 'lab' } });
  t.deepEqual(book.names(), ['server', 'client1', 'client2']);
  for (const name of book.names()) {
    const spec = book.resolve(name);
    t.is(spec.kind, 'ssh');
    if (spec.kind === 'ssh') t.is(spec.user, 'lab');
  }
});
