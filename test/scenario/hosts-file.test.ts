import test from 'ava';
import { isBatonError } from '../../src/errors.ts';
import { parseHostsFile } from '../../src/scenario/hosts-file.ts';

test('a hosts file names local, pty and ssh hosts, with options and variables', (t) => {
  const book = parseHostsFile(
    [
      '# the lab',
      'ctl = local',
      'term = pty   # a terminal',
      'h1 = ssh://root@10.0.0.11:2222 known_hosts=/tmp/kh identity=/tmp/k1 identity=/tmp/k2',
      'h2 = ssh://${LAB_USER:-lab}@${H2_ADDR:-10.0.0.12} accept_unknown_host_key=yes',
      '',
    ].join('\n'),
    'lab.hosts',
    { H2_ADDR: '192.0.2.7' },
  );
  t.deepEqual(book.names(), ['ctl', 'term', 'h1', 'h2']);
  t.like(book.resolve('ctl'), { kind: 'local', name: 'ctl' });
  t.like(book.resolve('term'), { kind: 'pty', name: 'term' });
  t.like(book.resolve('h1'), {
    kind: 'ssh',
    host: '10.0.0.11',
    user: 'root',
    port: 2222,
    knownHostsFile: '/tmp/kh',
    identityFiles: ['/tmp/k1', '/tmp/k2'],
  });
  t.like(book.resolve('h2'), { kind: 'ssh', host: '192.0.2.7', user: 'lab', acceptUnknownHostKey: true });
  t.like(book.resolve('ssh://other'), { kind: 'ssh', host: 'other' });
  t.like(book.resolve('local'), { kind: 'local' });
});

test('bad lines are refused with file:line:col and HOST_BAD_SPEC', (t) => {
  const cases: [string, number, number][] = [
    ['h1 ssh://x', 1, 1],
    ['ok = local\nh1 = ssh://x port=99999', 2, 6],
    ['ok = local\n\nh1 = ssh://x colour=red', 3, 6],
    ['h1 = local user=root', 1, 6],
    ['h1 = ssh://${MISSING}', 1, 12],
    ['h1 = local\nh1 = pty', 2, 1],
  ];
  for (const [text, line, col] of cases) {
    const error = t.throws(() => parseHostsFile(text, 'bad.hosts', {}));
    t.true(isBatonError(error, 'HOST_BAD_SPEC'), text);
    t.like((error as unknown as { fields: object }).fields, { file: 'bad.hosts', line, col }, text);
  }
});
