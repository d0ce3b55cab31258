/**
 * The loader's reader is bounded: a device, a pipe or a directory is refused before a byte is read, at the
 * include that names it, and a file is never read past the size cap. The memory bound is checked in a child
 * process with a small heap, by its peak RSS.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareVariants } from '../../src/mux/pipeline.ts';
import { ReadRefused } from '../../src/mux/read-refused.ts';
import { fileReader } from '../../src/mux/readers.ts';

const fixture = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/mux/variants-json.ts');

let directory = '';
test.before(() => {
  directory = mkdtempSync(join(tmpdir(), 'baton-mux-read-'));
  writeFileSync(join(directory, 'zero.yaml'), 'a:\n  b: 1\n  !include : /dev/zero\n');
  writeFileSync(join(directory, 'big.yaml'), `a: ${'x'.repeat(4000)}\n`);
});
test.after.always(() => rmSync(directory, { recursive: true, force: true }));

interface ChildRun {
  status: number | null;
  error?: { code: string; file?: string; line?: number; col?: number };
  maxRssKiB: number;
}

// baton variants --json in a child with a 64 MB heap; a safety kill after 60 s, never an assertion on time.
function runLimited(args: string[]): ChildRun {
  const child = spawnSync(
    process.execPath,
    ['--max-old-space-size=64', `--import=${import.meta.resolve('tsx')}`, fixture, ...args],
    {
      cwd: directory,
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    },
  );
  const rss = /maxrss (\d+)\s*$/.exec(child.stderr);
  const parsed = child.stdout ? (JSON.parse(child.stdout) as { error?: ChildRun['error'] }) : {};
  return { status: child.status, error: parsed.error, maxRssKiB: rss ? Number(rss[1]) : Infinity };
}

test('baton variants /dev/zero is refused unread, in bounded memory', (t) => {
  const result = runLimited(['/dev/zero']);
  t.is(result.status, 2);
  t.is(result.error?.code, 'FILE_UNREADABLE');
  t.true(result.maxRssKiB < 300 * 1024, `peak RSS ${result.maxRssKiB} KiB`);
});

test('!include : /dev/zero is refused at the include, in bounded memory', (t) => {
  const result = runLimited(['zero.yaml']);
  t.is(result.status, 2);
  t.like(result.error, { code: 'FILE_UNREADABLE', file: 'zero.yaml', line: 3, col: 3 });
  t.true(result.maxRssKiB < 300 * 1024, `peak RSS ${result.maxRssKiB} KiB`);
});

test('a directory and a pipe are refused as not regular files', (t) => {
  const reader = fileReader(directory);
  t.throws(() => reader.readText('.', 100), { instanceOf: ReadRefused });
  const pipe = spawnSync('mkfifo', [join(directory, 'fifo')]);
  if (pipe.status === 0) t.throws(() => reader.readText('fifo', 100), { instanceOf: ReadRefused });
});

test('reading stops at the cap, even where the file system reports no size', (t) => {
  const reader = fileReader(directory);
  t.throws(() => reader.readText('big.yaml', 1000), { instanceOf: ReadRefused });
  t.throws(() => reader.readText('/proc/self/smaps', 64), { instanceOf: ReadRefused });
  t.is(reader.readText('big.yaml', 5000)?.length, 4004);
  const prepared = prepareVariants({
    files: ['big.yaml'],
    reader: fileReader(directory),
    maxFileBytes: 1000,
  });
  t.deepEqual(
    prepared.errors.map((error) => error.code),
    ['MUX_TOO_LARGE'],
  );
});
