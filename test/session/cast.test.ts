import test from 'ava';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { castCommand } from '../../src/cli/commands/cast.ts';
import { runCli } from '../helpers/capture.ts';
import { scriptFile } from './support.ts';
import { PassThrough, Readable } from 'node:stream';

test('a replay leaves one asciicast v2 file per stream with step and barrier markers; baton cast writes them again', async (t) => {
  const { dir } = scriptFile([
    '# baton session 1',
    'open a on local',
    'open b on local',
    'bg b: "$BATON_SYNC_SH" wait go 2 >/dev/null; echo b-released',
    'fg a: echo hello-a; printf "line two\\n"',
    'barrier go 2',
    'wait b',
    'expect b stdout /b-released/ since @step3',
  ]);
  const run = await runCli(['replay', 'main.baton', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true', TERM: 'xterm', LANG: 'C.UTF-8', HOME: '/secret-home' },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  const job = join(dir, 'results', readdirSync(join(dir, 'results')).find((name) => name !== 'latest') ?? '');
  const casts = join(job, 'casts');
  t.deepEqual(readdirSync(casts).sort(), ['a.cast', 'b.cast']);
  rmSync(casts, { recursive: true });
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await castCommand.run([job], {
    stdin: Readable.from([]),
    stdout,
    stderr: new PassThrough(),
    env: { TERM: 'xterm', LANG: 'C.UTF-8', HOME: '/secret-home' },
    cwd: dir,
  });
  t.is(code, 0);
  t.regex(out, /casts\/a\.cast/);
  t.is(statSync(join(casts, 'a.cast')).mode & 0o777, 0o600);
  const [headerLine, ...lines] = readFileSync(join(casts, 'a.cast'), 'utf8').trimEnd().split('\n');
  const header = JSON.parse(headerLine ?? '') as Record<string, unknown>;
  t.like(header, { version: 2, width: 80, height: 24, env: { TERM: 'xterm', LANG: 'C.UTF-8' } });
  t.deepEqual(Object.keys(header.env as object).sort(), ['LANG', 'TERM']);
  const events = lines.map((line) => JSON.parse(line) as [number, string, string]);
  const times = events.map((event) => event[0]);
  t.deepEqual(
    times,
    [...times].sort((x, y) => x - y),
    'times only grow',
  );
  const output = events
    .filter((event) => event[1] === 'o')
    .map((event) => event[2])
    .join('');
  t.regex(output, /hello-a\r\nline two\r\n/);
  const markers = events.filter((event) => event[1] === 'm').map((event) => event[2]);
  t.true(markers.includes('step 4 main.baton:5'), markers.join(','));
  t.true(markers.includes('barrier go released (gen 1)'), markers.join(','));
  const b = readFileSync(join(casts, 'b.cast'), 'utf8');
  t.regex(b, /b-released/);
});
