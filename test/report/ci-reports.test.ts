import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../src/errors.ts';
import { runCli } from '../helpers/capture.ts';
import { lab, runsCommand, TREE } from './support.ts';

const FAILING = runsCommand('echo out-line; echo err-line >&2; [ "$BATON_PARAM_SIZE" = 1 ] || exit 3');

test('--junit: timestamp, hostname, params as properties, the failed task output as system-out/err', async (t) => {
  const { dir, results } = lab({ 'sized.ts': FAILING, 'tree.yaml': TREE });
  const run = await runCli(
    ['run', 'sized.ts', '--variants', 'tree.yaml', '--results', results, '--junit', 'out/../junit.xml'],
    { cwd: dir },
  );
  t.is(run.code, EXIT.failed, run.stdout + run.stderr);
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  t.regex(
    xml,
    /<testsuite name="sized" tests="2" failures="1" errors="0" skipped="0" time="[\d.]+" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d" hostname="[^"]+">/,
  );
  t.regex(xml, /<property name="size" value="1"\/>/);
  t.regex(xml, /<property name="size" value="1000"\/>/);
  t.regex(xml, /<failure type="TASK_FAILED"/);
  t.regex(xml, /<system-out>out-line<\/system-out>/);
  t.regex(xml, /<system-err>err-line<\/system-err>/);
  t.is(xml.match(/<system-out>/g)?.length, 1, 'only the failed variant carries output');
});

test('--json: the summary with each failed variant output and folder', async (t) => {
  const { dir, results } = lab({ 'sized.ts': FAILING, 'tree.yaml': TREE });
  const run = await runCli(
    ['run', 'sized.ts', '--variants', 'tree.yaml', '--results', results, '--json', 'r.json'],
    {
      cwd: dir,
    },
  );
  t.is(run.code, EXIT.failed);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
    exitCode: number;
    hostname: string;
    variants: {
      status: string;
      params: { size: number };
      error?: { code: string };
      output?: { stderr: string; folder: string };
    }[];
  };
  t.is(report.exitCode, EXIT.failed);
  t.truthy(report.hostname);
  const failed = report.variants.find((variant) => variant.status === 'failed');
  t.is(failed?.params.size, 1000);
  t.is(failed?.error?.code, 'TASK_FAILED');
  t.is(failed?.output?.stderr, 'err-line');
  t.is(readFileSync(join(failed?.output?.folder ?? '', 'stdout'), 'utf8'), 'out-line\n');
});

test('GITHUB_ACTIONS=true: an ::error annotation per variant that did not pass, at the scenario position', async (t) => {
  const { dir, results } = lab({
    'sized.ts': FAILING,
    'throws.ts': "export default async function () {\n  throw new Error('boom');\n}\n",
    'tree.yaml': TREE,
  });
  const run = await runCli(
    ['run', 'sized.ts', 'throws.ts', '--variants', 'tree.yaml', '--results', results],
    {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', CI: 'true' },
    },
  );
  t.is(run.code, EXIT.failed);
  const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error '));
  t.is(annotations.length, 3, run.stdout);
  t.is(annotations.filter((line) => line.startsWith('::error file=sized.ts,title=')).length, 1);
  t.is(annotations.filter((line) => line.startsWith('::error file=throws.ts,line=2,col=9,')).length, 2);
  const quiet = await runCli(['run', 'throws.ts', '--results', results], { cwd: dir, env: {} });
  t.notRegex(quiet.stdout, /^::error/m);
});
