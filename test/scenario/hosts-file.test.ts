import test from 'ava';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBatonError } from '../../src/errors.ts';
import { parseHostsFile, readHostsFile } from '../../src/scenario/hosts-file.ts';
import { createTransport } from '../../src/transport/index.ts';
import type { HostSpec } from '../../src/transport/transport.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { generateKey } from '../helpers/sshd.ts';
import type { PrivateSshd } from '../helpers/sshd.ts';
import { run } from '../transport/helpers.ts';
import { sharedSshd } from '../transport/ssh-fixture.ts';

const sshd = sharedSshd(test);

test('a hosts file names local, pty and ssh hosts, with options and variables', (t) => {
  const lab = scratchDir('baton-hosts-');
  writeFileSync(join(lab, 'kh'), '');
  const book = parseHostsFile(
    [
      '# the lab',
      'ctl = local',
      'term = pty   # a terminal',
      `h1 = ssh://root@10.0.0.11:2222 known_hosts=${lab}/kh identity=/keys/k1 identity=/keys/k2`,
      'h2 = ssh://${LAB_USER:-lab}@${H2_ADDR:-10.0.0.12} accept_unknown_host_key=yes',
      '',
    ].join('\n'),
    join(lab, 'lab.hosts'),
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
    knownHostsFile: join(lab, 'kh'),
    identityFiles: ['/keys/k1', '/keys/k2'],
  });
  t.like(book.resolve('h2'), { kind: 'ssh', host: '192.0.2.7', user: 'lab', acceptUnknownHostKey: true });
  t.like(book.resolve('ssh://other'), { kind: 'ssh', host: 'other' });
  t.like(book.resolve('local'), { kind: 'local' });
});

test('relative known_hosts= and identity= are read from the hosts file folder, ~/ from HOME', (t) => {
  const lab = scratchDir('baton-hosts-');
  const home = scratchDir('baton-home-');
  mkdirSync(join(lab, 'keys'));
  writeFileSync(join(lab, 'keys', 'known_hosts'), '');
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'lab_known_hosts'), '');
  const file = join(lab, 'lab.hosts');
  writeFileSync(
    file,
    [
      'h1 = ssh://10.0.0.11 known_hosts=keys/known_hosts identity=keys/id_lab',
      'h2 = ssh://10.0.0.12 known_hosts=~/.ssh/lab_known_hosts identity=~/.ssh/id_lab',
      '',
    ].join('\n'),
  );
  const book = readHostsFile(file, { HOME: home });
  t.like(book.resolve('h1'), {
    knownHostsFile: join(lab, 'keys', 'known_hosts'),
    identityFiles: [join(lab, 'keys', 'id_lab')],
  });
  t.like(book.resolve('h2'), {
    knownHostsFile: join(home, '.ssh', 'lab_known_hosts'),
    identityFiles: [join(home, '.ssh', 'id_lab')],
  });
});

test('a known_hosts= file that does not exist is FILE_NOT_FOUND at its option, unless the line accepts unknown keys', (t) => {
  const lab = scratchDir('baton-hosts-');
  const file = join(lab, 'lab.hosts');
  const error = t.throws(() =>
    parseHostsFile('ok = local\nh1 = ssh://10.0.0.11  known_hosts=missing_known_hosts\n', file, {}),
  );
  t.true(isBatonError(error, 'FILE_NOT_FOUND'));
  t.like((error as unknown as { fields: object }).fields, {
    file,
    line: 2,
    col: 23,
    knownHostsFile: join(lab, 'missing_known_hosts'),
  });
  mkdirSync(join(lab, 'folder'));
  const folder = t.throws(() => parseHostsFile('h1 = ssh://x known_hosts=folder', file, {}));
  t.true(isBatonError(folder, 'FILE_NOT_FOUND'), 'a folder is not a known_hosts file');
  const accepting = parseHostsFile(
    'h1 = ssh://10.0.0.11 known_hosts=new_known_hosts accept_unknown_host_key=yes',
    file,
    {},
  );
  t.like(accepting.resolve('h1'), {
    knownHostsFile: join(lab, 'new_known_hosts'),
    acceptUnknownHostKey: true,
  });
});

test('bad lines are refused with file:line:col and HOST_BAD_SPEC', (t) => {
  const cases: [string, number, number][] = [
    ['h1 ssh://x', 1, 1],
    ['ok = local\nh1 = ssh://x port=99999', 2, 14],
    ['ok = local\n\nh1 = ssh://x colour=red', 3, 14],
    ['h1 = local user=root', 1, 12],
    ['h1 = ssh://${MISSING}', 1, 12],
    ['h1 = ssh://x user=${WHO}', 1, 19],
    ['h1 = local\nh1 = pty', 2, 1],
  ];
  for (const [text, line, col] of cases) {
    const error = t.throws(() => parseHostsFile(text, 'bad.hosts', {}));
    t.true(isBatonError(error, 'HOST_BAD_SPEC'), text);
    t.like((error as unknown as { fields: object }).fields, { file: 'bad.hosts', line, col }, text);
  }
});

/** A lab folder with the sshd's client key and `keys/known_hosts`, and a hosts file there with `options`. */
function labFolder(server: PrivateSshd, options: string, knownHosts = ''): { lab: string; spec: HostSpec } {
  const lab = scratchDir('baton-hosts-lab-');
  mkdirSync(join(lab, 'keys'));
  copyFileSync(server.privateKeyPath, join(lab, 'keys', 'id_lab'));
  writeFileSync(join(lab, 'keys', 'known_hosts'), knownHosts);
  writeFileSync(join(lab, 'ssh_config'), '');
  const file = join(lab, 'lab.hosts');
  writeFileSync(file, `server = ssh://${server.user}@${server.host}:${server.port} ${options}\n`);
  return { lab, spec: readHostsFile(file, {}).resolve('server') };
}

function transportFor(lab: string, spec: HostSpec) {
  return createTransport(spec, { sshConfigPath: join(lab, 'ssh_config'), agentSocket: '', retries: 0 });
}

sshdTest(
  'ssh: known_hosts= and identity= relative to the hosts file work from any current folder',
  async (t) => {
    const server = await sshd();
    const { lab, spec } = labFolder(server, 'known_hosts=keys/known_hosts identity=keys/id_lab');
    t.not(process.cwd(), lab);
    copyFileSync(server.knownHostsPath, join(lab, 'keys', 'known_hosts'));
    const transport = transportFor(lab, spec);
    t.teardown(() => transport.close());
    await transport.open();
    t.is((await run(transport, 'echo from the lab folder')).stdout, 'from the lab folder\n');
  },
);

sshdTest(
  'ssh: an unknown host key names the option and the file that accept it; the option records it',
  async (t) => {
    const server = await sshd();
    const { lab, spec } = labFolder(server, 'known_hosts=keys/known_hosts identity=keys/id_lab');
    writeFileSync(join(lab, 'keys', 'known_hosts'), '');
    const refused = transportFor(lab, spec);
    t.teardown(() => refused.close());
    const error = await t.throwsAsync(refused.open());
    t.true(isBatonError(error, 'SSH_HOST_KEY_UNKNOWN'), String(error));
    t.like((error as unknown as { fields: object }).fields, {
      knownHostsFile: join(lab, 'keys', 'known_hosts'),
    });
    t.regex(error?.message ?? '', /accept_unknown_host_key=yes/);

    const accepting = labFolder(
      server,
      'known_hosts=keys/new_known_hosts accept_unknown_host_key=yes identity=keys/id_lab',
    );
    const transport = transportFor(accepting.lab, accepting.spec);
    t.teardown(() => transport.close());
    await transport.open();
    t.is(
      readFileSync(join(accepting.lab, 'keys', 'new_known_hosts'), 'utf8'),
      `[${server.host}]:${server.port} ${server.hostKeyPublic}\n`,
    );
  },
);

// Known defect: the key is recorded from ssh2's hostVerifier (src/transport/ssh-connection.ts), before
// authentication; it must be recorded on the connection's `ready` instead. Flip to a plain test once it is.
sshdTest(
  'ssh: accept_unknown_host_key=yes records no key when authentication then fails',
  async (t) => {
    const server = await sshd();
    const { lab } = labFolder(server, '');
    generateKey(join(lab, 'keys', 'wrong'));
    const { spec } = labFolder(
      server,
      `known_hosts=${lab}/keys/new_known_hosts accept_unknown_host_key=yes identity=${lab}/keys/wrong`,
    );
    const transport = transportFor(lab, spec);
    t.teardown(() => transport.close());
    const error = await t.throwsAsync(transport.open());
    t.true(isBatonError(error, 'SSH_AUTH_FAILED'), String(error));
    t.false(existsSync(join(lab, 'keys', 'new_known_hosts')), 'no key recorded for a refused login');
  },
);

test('connection settings per host: max_channels, connect_timeout, keepalive and retries; bad values at their column', (t) => {
  const book = parseHostsFile(
    'lab = ssh://root@10.0.0.2 max_channels=64 connect_timeout=5s keepalive=0 retries=4\nslow = ssh://h connect_timeout=1500ms keepalive=2m\n',
    'lab.hosts',
  );
  t.like(book.resolve('lab'), {
    kind: 'ssh',
    limits: { maxChannels: 64, connectTimeoutMs: 5000, keepaliveIntervalMs: 0, retries: 4 },
  });
  t.like(book.resolve('slow'), { limits: { connectTimeoutMs: 1500, keepaliveIntervalMs: 120_000 } });
  for (const [line, col] of [
    ['h = ssh://h max_channels=0', 13],
    ['h = ssh://h retries=-1', 13],
    ['h = ssh://h connect_timeout=0', 13],
    ['h = ssh://h keepalive=soon', 13],
  ] as const) {
    const error = t.throws(() => parseHostsFile(`${line}\n`, 'bad.hosts'));
    t.like(error, { code: 'HOST_BAD_SPEC', fields: { file: 'bad.hosts', line: 1, col } }, line);
  }
});
