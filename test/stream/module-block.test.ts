import test from 'ava';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { module } from '../../src/stream/block.ts';
import { Stream } from '../../src/stream/stream.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { waitFor } from '../helpers/wait.ts';

const blocks = fileURLToPath(new URL('../fixtures/blocks/', import.meta.url));

// This file's own tmpdir, so that folders other test processes leave meanwhile do not count.
const scratch = mkdtempSync(join(tmpdir(), 'baton-module-block-test-'));
process.env.TMPDIR = scratch;
test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

const moduleFolders = () => readdirSync(tmpdir()).filter((entry) => entry.startsWith('baton-module-'));

test('a module block leaves no baton-module-* folder in the tmpdir once it has run', async (t) => {
  t.is(tmpdir(), scratch);
  const before = new Set(moduleFolders());
  const journal = new Journal();
  const results = new ResultsFolder(join(scratch, 'results'), journal);
  journal.emit({ kind: 'variant-start', scenario: 's', scenarioIndex: 1, variant: 'v', index: 1, total: 1 });
  const stream = await Stream.open({
    name: 'modules',
    transport: new LocalTransport({ kind: 'local', name: 'local' }, { stream: 'modules' }),
    journal,
    env: {},
    taskDir: (...args) => results.taskDir(...args),
  });
  t.teardown(() => stream.close().then(() => results.dispose()));
  for (const exportName of ['greet', 'greet', 'composed']) {
    const record = await stream.runFg(module(join(blocks, `module.ts#${exportName}`)));
    t.is(record.status, 'passed');
  }
  const left = await waitFor(
    () => {
      const added = moduleFolders().filter((entry) => !before.has(entry));
      return added.length === 0 ? added : undefined;
    },
    { what: 'no new baton-module-* folder' },
  );
  t.deepEqual(left, []);
});
