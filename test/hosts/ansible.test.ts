/** `--hosts` with Ansible inventories, read by the real ansible-inventory; and what happens without it. */
import test from 'ava';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBatonError } from '../../src/errors.ts';
import { readHosts } from '../../src/hosts/read-hosts.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { ansibleTest } from './support.ts';

const fixtures = fileURLToPath(new URL('../fixtures/hosts/', import.meta.url));
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const read = (argument: string, extra: Record<string, string> = {}) =>
  readHosts(argument, { cwd: fixtures, env: { ...env, ...extra } });

ansibleTest('INI and YAML inventories give the same hosts and groups, with no secret in the record', (t) => {
  const ini = read('lab.ini').record();
  const yaml = read('lab.yml').record();
  // Inventory order differs (the YAML lists lab first): compare host by host.
  const byName = (record: typeof ini) =>
    Object.fromEntries((record?.hosts as { name: string }[]).map((host) => [host.name, host]));
  t.deepEqual(byName(yaml), byName(ini));
  t.deepEqual(yaml?.groups, { ...(ini?.groups as object), all: ['web1', 'web2', 'edge1', 'controller'] });
  t.is(ini?.source, join(fixtures, 'lab.ini'));
  t.like(ini, { groups: { web: ['web1', 'web2'], lab: ['web1', 'web2', 'edge1'] } });
  t.false(JSON.stringify(ini).includes('hunter2'), 'ansible_password is never recorded');
  t.true(JSON.stringify(ini).includes('ansible_password'), 'only its name, as ignored');
});

ansibleTest('ansible://PATTERN reads the configured inventory (ANSIBLE_INVENTORY) and selects hosts', (t) => {
  const book = read('ansible://lab:!edge1', { ANSIBLE_INVENTORY: join(fixtures, 'lab.ini') });
  t.deepEqual(book.names(), ['web1', 'web2']);
  t.deepEqual(book.group('web'), ['web1', 'web2']);
  t.true(
    isBatonError(
      t.throws(() => book.group('edge')),
      'GROUP_UNKNOWN',
    ),
  );
  const none = t.throws(() => read('ansible://nomatch', { ANSIBLE_INVENTORY: join(fixtures, 'lab.ini') }));
  t.true(isBatonError(none, 'ANSIBLE_INVENTORY_INVALID'));
});

ansibleTest('a bad inventory fails with what ansible-inventory said and the file', (t) => {
  const dir = scratchDir('baton-ansible-');
  const file = join(dir, 'broken.ini');
  writeFileSync(file, '[web\nh1 ansible_host=10.0.0.1\n');
  const error = t.throws(() => read(file));
  t.true(isBatonError(error, 'ANSIBLE_INVENTORY_INVALID'));
  t.like((error as unknown as { fields: object }).fields, { file });
  t.true(error.message.includes(`Failed to parse ${file}`), error.message);
});

test('without ansible-inventory: ANSIBLE_NOT_INSTALLED naming the package, exit 3 from the CLI', async (t) => {
  const empty = scratchDir('baton-no-ansible-');
  const error = t.throws(() => read('lab.ini', { PATH: empty }));
  t.true(isBatonError(error, 'ANSIBLE_NOT_INSTALLED'));
  t.regex(error.message, /ansible-core/);
  const cli = await runCli(['run', join(fixtures, 'each-host.ts'), '--hosts', 'lab.ini'], {
    cwd: fixtures,
    env: { ...env, PATH: empty },
  });
  t.is(cli.code, 3);
  t.regex(cli.stderr, /ANSIBLE_NOT_INSTALLED/);
});

ansibleTest('baton run --hosts INVENTORY: a stream per host of a group, hosts.json owner-only', async (t) => {
  const dir = scratchDir('baton-ansible-run-');
  writeFileSync(
    join(dir, 'local.ini'),
    '[lab]\nw1 ansible_connection=local\nw2 ansible_connection=local ansible_password=s3cret\n',
  );
  const results = join(dir, 'results');
  const run = await runCli(
    ['run', join(fixtures, 'each-host.ts'), '--hosts', 'local.ini', '--results', results],
    { cwd: dir, env },
  );
  t.is(run.code, 0, run.stdout + run.stderr);
  const job = join(results, 'latest');
  const record = join(job, 'hosts.json');
  t.is(statSync(record).mode & 0o777, 0o600);
  const text = readFileSync(record, 'utf8');
  t.false(text.includes('s3cret'));
  t.like(JSON.parse(text), {
    source: join(dir, 'local.ini'),
    hosts: [
      { kind: 'local', name: 'w1', groups: ['lab'] },
      { kind: 'local', name: 'w2', groups: ['lab'], ignored: ['ansible_password'] },
    ],
  });
  const streams = join(job, 'scenarios', '01-each-host', 'default', 'streams');
  t.deepEqual(readdirSync(streams).sort(), ['w1', 'w2']);
  t.is(readFileSync(join(job, 'scenarios', '01-each-host', 'default', 'whiteboard'), 'utf8'), 'w1,w2\n');
});

ansibleTest('baton run refuses a bad inventory or an unmappable host before any work: exit 2', async (t) => {
  const dir = scratchDir('baton-ansible-bad-');
  writeFileSync(join(dir, 'broken.ini'), '[lab\n');
  writeFileSync(join(dir, 'win.ini'), '[lab]\nw1 ansible_connection=winrm\n');
  for (const [file, code] of [
    ['broken.ini', 'ANSIBLE_INVENTORY_INVALID'],
    ['win.ini', 'ANSIBLE_HOST_UNSUPPORTED'],
  ]) {
    const run = await runCli(
      ['run', join(fixtures, 'each-host.ts'), '--hosts', file, '--results', join(dir, 'results')],
      { cwd: dir, env },
    );
    t.is(run.code, 2, file);
    t.regex(run.stderr, new RegExp(code), file);
    t.regex(run.stderr, file === 'win.ini' ? /host w1/ : /broken\.ini/, file);
  }
  t.throws(() => statSync(join(dir, 'results')), undefined, 'no results folder: nothing ran');
});
