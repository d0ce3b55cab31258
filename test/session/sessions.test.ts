import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

const SESSIONS = resolve('sessions');
const scripts = readdirSync(SESSIONS)
  .filter((name) => name.endsWith('.baton'))
  .sort();
// Its link variant takes a namespace host's data link down: replayed on namespace hosts by sessions-netns only.
const LAB_ONLY = new Set(['disrupt.baton']);
const local = scripts.filter((name) => !LAB_ONLY.has(name));

test('sessions/ holds at least the three reviewed recordings, each saying so at its top', (t) => {
  t.true(['failing-block.baton', 'netperf.baton', 'transfer.baton'].every((name) => scripts.includes(name)));
  for (const name of scripts)
    t.regex(readFileSync(join(SESSIONS, name), 'utf8'), /^# Recorded with `baton repl/m, name);
});

test('every script in sessions/ that runs on local hosts replays green headless, one result per variant of the parameterised ones', async (t) => {
  const dir = scratchDir('baton-sessions-');
  const run = await runCli(
    [
      'replay',
      ...local.map((name) => join(SESSIONS, name)),
      '--headless',
      '--junit',
      join(dir, 'junit.xml'),
      '--results',
      join(dir, 'results'),
    ],
    { cwd: dir, env: { CI: 'true' } },
  );
  t.is(run.code, 0, run.stdout + run.stderr);
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  const transfer = [...junit.matchAll(/<testcase classname="transfer" name="([^"]+)"/g)].map(
    (match) => match[1],
  );
  t.is(transfer.length, 4);
  t.true(transfer.every((name) => name?.startsWith('run-') && /payload-(small|medium)/.test(name)));
  const cases = [...junit.matchAll(/<testcase /g)].length;
  t.true(cases >= local.length + 3, `${cases} test cases`);
  t.regex(run.stdout, new RegExp(`${cases} passed, 0 failed\\n$`));
});

test('--check validates the sessions without running them', async (t) => {
  const run = await runCli(['replay', '--check', ...scripts.map((name) => join(SESSIONS, name))], {
    cwd: SESSIONS,
  });
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, new RegExp(`${scripts.length} scripts checked: no problems`));
});
