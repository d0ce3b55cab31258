import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { cli } from '../../src/cli/cli.ts';
import { COMMANDS } from '../../ui/commands.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** `baton ARGV` as a function with the program's registry, on streams that are not a terminal. */
async function baton(argv: string[], cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await cli(argv, { stdin: Readable.from([]), stdout, stderr, env: {}, cwd }, COMMANDS);
  return { code, stderr: err };
}

const HEADER = '{"format":1,"tool":"0.1.0","jobId":"j1","startedAt":"2026-12-01T00:00:00.000Z"}\n';

test('a folder without a journal: one line with FILE_NOT_FOUND, exit 2', async (t) => {
  const cwd = scratchDir('baton-dash-cmd-');
  mkdirSync(join(cwd, 'empty'));
  const { code, stderr } = await baton(['dash', 'empty'], cwd);
  t.is(code, 2);
  t.regex(stderr, /empty.*\[FILE_NOT_FOUND\]/);
  t.is((await baton(['dash', 'missing'], cwd)).code, 2);
  t.regex((await baton(['dash', '--follow'], cwd)).stderr, /results\/latest.*\[FILE_NOT_FOUND\]/);
});

test('a journal whose header is not one: JOURNAL_BAD_FORMAT with the file, exit 2', async (t) => {
  const cwd = scratchDir('baton-dash-cmd-');
  mkdirSync(join(cwd, 'job'));
  writeFileSync(join(cwd, 'job', 'journal.jsonl'), 'hello\n');
  const { code, stderr } = await baton(['dash', 'job'], cwd);
  t.is(code, 2);
  t.regex(stderr, /job\/journal\.jsonl:1:\d+: .*\[JOURNAL_BAD_FORMAT\]/);
});

test('without a terminal: a usage error, and blessed is never loaded', async (t) => {
  const cwd = scratchDir('baton-dash-cmd-');
  mkdirSync(join(cwd, 'job'));
  writeFileSync(join(cwd, 'job', 'journal.jsonl'), HEADER);
  const { code, stderr } = await baton(['dash', 'job'], cwd);
  t.is(code, 2);
  t.regex(stderr, /terminal.*\[USAGE\]/);
  t.is((await baton(['dash', 'a', 'b'], cwd)).code, 2);
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  t.false(
    loaded.some((file) => /node_modules\/blessed(-contrib)?\//.test(file)),
    'blessed and blessed-contrib load only when the dashboard draws',
  );
});
