import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { scriptFile } from './support.ts';

const FIXTURES = resolve('test/fixtures/session');

test('a bad script: every problem on stderr with file:line:col and a caret, exit 2, nothing run', async (t) => {
  const { dir } = scriptFile(
    ['# baton session 1', 'open a on local', 'fg b: touch ran', 'frob', 'expect a exit zero'],
    'bad.baton',
  );
  const run = await runCli(['replay', 'bad.baton', '--results', join(dir, 'results')], { cwd: dir });
  t.is(run.code, 2);
  t.regex(
    run.stderr,
    /^bad\.baton:3:4: no stream b .*\[SESSION_UNKNOWN_STREAM\]\n {2}fg b: touch ran\n {5}\^$/m,
  );
  t.regex(run.stderr, /^bad\.baton:4:1: .*\[SESSION_UNKNOWN_COMMAND\]$/m);
  t.regex(run.stderr, /^bad\.baton:5:15: .*\[SESSION_BAD_ARGUMENT\]$/m);
  t.regex(run.stderr, /3 problems: nothing run/);
  const check = await runCli(['replay', '--check', 'bad.baton'], {
    cwd: dir,
    env: { GITHUB_ACTIONS: 'true' },
  });
  t.is(check.code, 2);
  t.regex(check.stdout, /^::error file=bad\.baton,line=3,col=4::/m);
});

test('a passing and a failing script in one call: own results folders, JUnit, JSON, summary line, exit 1', async (t) => {
  const { dir } = scriptFile(
    ['# baton session 1', 'open a on local', 'fg a: echo hi', 'expect a stdout /hi/'],
    'good.baton',
  );
  writeFileSync(
    join(dir, 'broken.baton'),
    ['# baton session 1', 'open a on local', 'fg a: echo oops >&2; exit 9', ''].join('\n'),
  );
  const run = await runCli(
    [
      'replay',
      'good.baton',
      'broken.baton',
      '--headless',
      '--junit',
      'junit.xml',
      '--json',
      'results.json',
      '--results',
      'results',
    ],
    { cwd: dir, env: { CI: 'true', GITHUB_ACTIONS: 'true' } },
  );
  t.is(run.code, 1, run.stdout + run.stderr);
  t.regex(run.stdout, /^ok {3}step 2 good\.baton:3 fg a: echo hi$/m);
  t.regex(run.stdout, /^FAIL broken\.baton:3: fg a: echo oops/m);
  t.regex(run.stdout, /^ {4}\| oops$/m);
  t.regex(run.stdout, /^::error file=broken\.baton,line=3::/m);
  t.regex(run.stdout, /1 passed, 1 failed\n$/);
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  t.regex(junit, /<testsuite name="good" tests="1" failures="0"/);
  t.regex(junit, /<testsuite name="broken" tests="1" failures="1"/);
  const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { resultsDir: string }[];
  t.is(json.length, 2);
  t.not(json[0]?.resultsDir, json[1]?.resultsDir);
});

test('a script over a filtered variant set gives one JUnit test case per variant, named by its id', async (t) => {
  const { dir } = scriptFile([
    '# baton session 1',
    `variants ${join(FIXTURES, 'sizes.yaml')}`,
    'open a on local',
    'for variant in /run/size/small /run/size/large !/run/mode/slow',
    'fg a: echo size=${param:size} mode=${param:mode}',
    'expect a stdout /size=\\d mode=fast/',
    'end',
  ]);
  const run = await runCli(['replay', 'main.baton', '--junit', 'junit.xml', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  const cases = [
    ...readFileSync(join(dir, 'junit.xml'), 'utf8').matchAll(/<testcase classname="main" name="([^"]+)"/g),
  ].map((m) => m[1]);
  t.is(cases.length, 2);
  t.true(
    cases.every((name) => name !== undefined && /small|large/.test(name) && !name.includes('slow')),
    cases.join(','),
  );
  t.regex(run.stdout, /2 passed, 0 failed/);
});

test('--strict turns warnings into errors: exit 2, nothing run', async (t) => {
  const { dir } = scriptFile(
    ['# baton session 1', 'open a on local', 'fg a: echo 123456', 'expect a stdout /123456/'],
    'w.baton',
  );
  const loose = await runCli(['replay', '--check', 'w.baton'], { cwd: dir });
  t.is(loose.code, 0);
  t.regex(loose.stderr, /^warning: w\.baton:4:17: .*\[SESSION_VOLATILE_LITERAL\]/m);
  const strict = await runCli(['replay', '--check', '--strict', 'w.baton'], { cwd: dir });
  t.is(strict.code, 2);
  t.regex(strict.stderr, /^w\.baton:4:17: .*\[SESSION_VOLATILE_LITERAL\]/m);
});

test('--check connects to every host the scripts open streams on (no block run): exit 0, or 3 naming the host', async (t) => {
  const { dir } = scriptFile(['# baton session 1', 'open a on local', 'fg a: touch ran'], 'good.baton');
  const good = await runCli(['replay', '--check', 'good.baton'], { cwd: dir });
  t.is(good.code, 0, good.stdout + good.stderr);
  t.regex(good.stdout, /^host local: answers$/m);
  writeFileSync(
    join(dir, 'down.baton'),
    ['# baton session 1', 'host gone = ssh://127.0.0.1:1', 'open a on local', 'open b on gone', ''].join('\n'),
  );
  const down = await runCli(['replay', '--check', 'down.baton'], { cwd: dir });
  t.is(down.code, 3, down.stdout + down.stderr);
  t.regex(down.stderr, /^down\.baton:4: host ssh:\/\/127\.0\.0\.1:1 did not answer: .*\[SSH_CONNECT_REFUSED\]$/m);
  t.false(existsSync(join(dir, 'ran')));
});
