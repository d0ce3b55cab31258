import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBatonError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { module, script } from '../../src/stream/block.ts';
import { Stream } from '../../src/stream/stream.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { assertOwnerOnly, openModesBlock } from './fetched-modes.ts';
import { assertFolderReuse } from './folder-reuse.ts';

const blocks = fileURLToPath(new URL('../fixtures/blocks/', import.meta.url));

async function localStream(name = 'local-stream', env: Record<string, string> = {}) {
  const journal = new Journal();
  const results = new ResultsFolder(scratchDir('baton-local-'), journal);
  journal.emit({ kind: 'variant-start', scenario: 's', scenarioIndex: 1, variant: 'v', index: 1, total: 1 });
  const stream = await Stream.open({
    name,
    transport: new LocalTransport({ kind: 'local', name: 'local' }, { stream: name }),
    journal,
    env,
    cwd: blocks,
    taskDir: (...args) => results.taskDir(...args),
  });
  return { stream, journal, results };
}

test('a script block ships with its .data folder and its data folder comes back', async (t) => {
  const { stream, results } = await localStream();
  t.teardown(() => stream.close().then(() => results.dispose()));
  const record = await stream.runFg(script(join(blocks, 'greet.sh'), ['a b', 'c']));
  t.is(record.status, 'passed');
  t.is(readFileSync(record.paths!.stdout, 'utf8'), 'greeting world with 2 args: a b c\n');
  t.is(readFileSync(join(record.paths!.data, 'copied.txt'), 'utf8'), 'world\n');
  t.is(record.paths!.dir, join(results.currentVariantDir, 'streams', 'local-stream', '01-greet.sh'));
});

test('a string naming an existing file is a script block; file#export is a module block', async (t) => {
  const { stream, results } = await localStream('refs', {
    BATON_PARAMS: JSON.stringify({ name: 'ada' }),
    BATON_VARIANT: 'run-x-1234',
  });
  t.teardown(() => stream.close().then(() => results.dispose()));
  const scripted = await stream.runFg('greet.sh');
  t.is(scripted.kind, 'script');
  const moduled = await stream.runFg('module.ts#greet');
  t.is(moduled.kind, 'module');
  t.is(readFileSync(moduled.paths!.stdout, 'utf8'), 'HELLO ADA IN RUN-X-1234\n');
  t.is(readFileSync(join(moduled.paths!.data, 'module.txt'), 'utf8'), 'written by a module block\n');
  t.is(readFileSync(join(moduled.paths!.dir, 'whiteboard'), 'utf8'), 'module whiteboard\n');
});

test('a module block that throws fails its task; a missing export or file is refused before running', async (t) => {
  const { stream, results } = await localStream('modules');
  t.teardown(() => stream.close().then(() => results.dispose()));
  const failed = await stream.runFg(module(join(blocks, 'module.ts#explode')), { ignoreErrors: true });
  t.like(failed, { status: 'failed', exitCode: 1, code: 'TASK_FAILED' });
  t.regex(readFileSync(failed.paths!.stderr, 'utf8'), /failed on purpose/);
  const noExport = await stream.runFg(module(join(blocks, 'module.ts#absent')), { ignoreErrors: true });
  t.like(noExport, { status: 'error', code: 'BLOCK_NO_EXPORT' });
  t.regex(noExport.message ?? '', /modules.*absent/);
  const missing = t.throws(() => stream.runBg(module(join(blocks, 'nowhere.ts#x'))));
  t.true(isBatonError(missing, 'BLOCK_NOT_FOUND'));
});

test('1 MiB of output per task streams through in chunks to the results file', async (t) => {
  const { stream, journal, results } = await localStream('big');
  t.teardown(() => stream.close().then(() => results.dispose()));
  let chunks = 0;
  let largest = 0;
  journal.subscribe((event) => {
    if (event.kind !== 'output') return;
    chunks++;
    largest = Math.max(largest, event.data.length);
  });
  const record = await stream.runFg(
    'head -c 1048576 /dev/zero | tr "\\0" x; head -c 1048576 /dev/zero | tr "\\0" y >&2',
  );
  t.is(readFileSync(record.paths!.stdout).length, 1024 * 1024);
  t.is(readFileSync(record.paths!.stderr).length, 1024 * 1024);
  t.true(chunks > 8, `output arrived in ${chunks} chunks`);
  t.true(largest < 1024 * 1024, 'no chunk holds the whole output');
});

test('a command not found on the host is its own error code', async (t) => {
  const { stream, results } = await localStream('missing-command');
  t.teardown(() => stream.close().then(() => results.dispose()));
  const record = await stream.runFg('no-such-command-anywhere --flag', { ignoreErrors: true });
  t.like(record, { status: 'failed', exitCode: 127, code: 'BLOCK_COMMAND_NOT_FOUND' });
});

test('a module block opens streams of its own; their results nest in its task folder', async (t) => {
  const { stream, results } = await localStream('outer', { BATON_SYNC_MEMBER: 'outer' });
  t.teardown(() => stream.close().then(() => results.dispose()));
  const record = await stream.runFg(module(join(blocks, 'module.ts#composed')));
  t.is(record.status, 'passed', readFileSync(record.paths!.stderr, 'utf8'));
  t.is(readFileSync(join(record.paths!.dir, 'whiteboard'), 'utf8'), 'inner-a:passed,inner-b:passed\n');
  for (const inner of ['inner-a', 'inner-b']) {
    const nested = join(record.paths!.dir, 'streams', inner, '01-echo');
    t.is(readFileSync(join(nested, 'stdout'), 'utf8'), `nested in outer/${inner}\n`);
    t.like(JSON.parse(readFileSync(join(nested, 'result.json'), 'utf8')), {
      status: 'passed',
      stream: inner,
    });
  }
  t.regex(readFileSync(join(record.paths!.dir, 'journal.jsonl'), 'utf8'), /"kind":"task-end"/);
});

test('data and whiteboard fetched back are owner-only whatever their modes on the host', async (t) => {
  const { stream, results } = await localStream('modes');
  t.teardown(() => stream.close().then(() => results.dispose()));
  for (const whiteboard of [false, true]) {
    const record = await stream.runFg(openModesBlock(whiteboard));
    assertOwnerOnly(t, record, whiteboard);
  }
});

test('a module block on a host without node, or with one too old, is BLOCK_NEEDS_NODE naming the version', async (t) => {
  const noNode = await localStream('no-node', { PATH: scratchDir('baton-no-node-') });
  t.teardown(() => noNode.stream.close().then(() => noNode.results.dispose()));
  const missing = await noNode.stream.runFg(module(join(blocks, 'module.ts#greet')), { ignoreErrors: true });
  t.like(missing, { status: 'failed', exitCode: 127, code: 'BLOCK_NEEDS_NODE' });
  t.regex(missing.message ?? '', /Node\.js 20 or newer/);
  t.true(missing.message?.includes(process.version));
  t.regex(readFileSync(missing.paths!.stderr, 'utf8'), /BLOCK_NEEDS_NODE.*not in PATH/);
  const sh = await noNode.stream.runFg('node --version', { ignoreErrors: true });
  t.like(sh, { code: 'BLOCK_COMMAND_NOT_FOUND' }, 'an sh block that runs node itself is not a module block');

  const pretendOld =
    "--import=data:text/javascript,Object.defineProperty(process.versions,'node',{value:'18.19.0'})";
  const oldNode = await localStream('old-node', { NODE_OPTIONS: pretendOld });
  t.teardown(() => oldNode.stream.close().then(() => oldNode.results.dispose()));
  const old = await oldNode.stream.runFg(module(join(blocks, 'module.ts#greet')), { ignoreErrors: true });
  t.like(old, { status: 'failed', exitCode: 127, code: 'BLOCK_NEEDS_NODE' });
  t.regex(readFileSync(old.paths!.stderr, 'utf8'), /BLOCK_NEEDS_NODE.*this host has Node\.js 18\.19\.0/);
});

test('a task folder left empty is given to the next task of the stream', async (t) => {
  const { stream, results } = await localStream();
  t.teardown(() => stream.close().then(() => results.dispose()));
  await assertFolderReuse(t, stream);
});
