import test from 'ava';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { scriptFile } from './support.ts';

// Every file under a folder, its text.
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'latin1'))
    .join('\n');
}

test.serial(
  'a password typed at an echo-off prompt is recorded as ${secret:NAME}, in no file, and replays',
  async (t) => {
    const { dir } = scriptFile([]);
    const typed = [
      'open p on pty',
      'open q on local',
      `bg p: stty -echo; touch ${dir}/prompting; read pw; stty echo; echo "length \${#pw}"`,
      `fg q: while [ ! -f ${dir}/prompting ]; do sleep 0.02; done`,
      'send p: hunter2-typed',
      'wait p',
      '',
    ].join('\n');
    const run = await runCli(['repl', '--record', 'rec.baton', '--results', 'results'], {
      cwd: dir,
      stdin: typed,
    });
    t.is(run.code, 0, run.stdout + run.stderr);
    const script = readFileSync(join(dir, 'rec.baton'), 'utf8');
    t.regex(script, /^send --secret P_SECRET p$/m);
    t.regex(script, /^expect p exit 0$/m);
    t.false(allText(join(dir, 'results')).includes('hunter2-typed'), 'not in the results folder');
    t.false(script.includes('hunter2-typed'), 'not in the script');
    t.regex(allText(join(dir, 'results')), /length 13/);
    // The recording left the marker behind: without removing it, the replay would send before the prompt.
    rmSync(join(dir, 'prompting'));
    const replay = await runCli(['replay', 'rec.baton', '--results', 'replayed'], {
      cwd: dir,
      env: { CI: 'true', P_SECRET: 'hunter2-typed' },
    });
    t.is(replay.code, 0, replay.stdout + replay.stderr);
    const written = allText(join(dir, 'replayed'));
    t.false(written.includes('hunter2-typed'));
    t.regex(written, /length 13/);
  },
);

test('secret params and ${secret:NAME} values are redacted from every file a replay writes', async (t) => {
  const { dir } = scriptFile([]);
  writeFileSync(
    join(dir, 'tree.yaml'),
    [
      'service: !mux',
      '  alpha:',
      '    api_key: k3y-alpha-0001',
      '  beta:',
      '    api_key: k3y-beta-0002',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'main.baton'),
    [
      '# baton session 1',
      'variants tree.yaml',
      'open a on local',
      'fg a: echo "token=${secret:TOKEN}"',
      'expect a stdout /token=\\*\\*\\*/',
      'for variant in /run/service',
      'fg a: echo "key=${param:api_key}"; echo "${param:api_key}" >&2; exit 1',
      'expect a exit 1',
      'expect a stdout /key=\\*\\*\\*/',
      'end',
    ].join('\n') + '\n',
  );
  const run = await runCli(
    ['replay', 'main.baton', '--results', 'results', '--junit', 'junit.xml', '--json', 'results.json'],
    { cwd: dir, env: { CI: 'true', TOKEN: 'tok-s3cr3t-value' } },
  );
  t.is(run.code, 0, run.stdout + run.stderr);
  const written = [
    allText(join(dir, 'results')),
    readFileSync(join(dir, 'junit.xml'), 'utf8'),
    readFileSync(join(dir, 'results.json'), 'utf8'),
    run.stdout,
  ].join('\n');
  for (const secret of ['tok-s3cr3t-value', 'k3y-alpha-0001', 'k3y-beta-0002'])
    t.false(written.includes(secret), secret);
});

test('secret environment values typed into a recorded repl reach no file; the header and the working directory are kept', async (t) => {
  const { dir } = scriptFile([]);
  const token = 'tok-5ecret-value-42';
  const typed = ['open a on local', `fg a: echo "${token}"`, `fg a: ls ${dir} >/dev/null`, ''].join('\n');
  const run = await runCli(['repl', '--record', 'rec.baton', '--results', 'results'], {
    cwd: dir,
    stdin: typed,
    // PWD matches *pwd* and a one-character value would blank out ordinary text: neither is a secret.
    env: { API_TOKEN: token, PWD: dir, OLDPWD: dir, SHORT_KEY: '0' },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  const script = readFileSync(join(dir, 'rec.baton'), 'utf8');
  t.false(script.includes(token), 'not in the script');
  t.false(allText(join(dir, 'results')).includes(token), 'not in the results folder');
  t.false(run.stdout.includes(token) || run.stderr.includes(token), 'not printed');
  t.regex(script, /^# baton session 1\n# tool=\S+ tz=\S+\n/, 'the header whole');
  t.regex(script, /^# \(a line holding a secret value was not recorded\)$/m);
  t.true(script.includes(`fg a: ls ${dir} >/dev/null`), 'a line naming the working directory is recorded');
});
