import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Stream } from '../../src/stream/stream.ts';

/**
 * A task folder its task left empty goes to the stream's next task, even when that task removed its data
 * folder (it is made again); a folder a task left data in is kept for it, and its data comes back whole.
 */
export async function assertFolderReuse(t: ExecutionContext, stream: Stream): Promise<void> {
  const run = async (command: string) => {
    const record = await stream.runFg(command);
    t.is(record.status, 'passed', command);
    return { record, lines: readFileSync(record.paths!.stdout, 'utf8').split('\n') };
  };
  const first = await run('echo "$BATON_TASK_DIR"');
  const folder = first.lines[0];
  const removing = await run('echo "$BATON_TASK_DIR"; rm -r "$BATON_TASK_DIR"');
  t.is(removing.lines[0], folder, 'the empty folder of the first task is the second one');
  const leaving = await run('echo "$BATON_TASK_DIR"; echo left > "$BATON_TASK_DIR/file"');
  t.is(leaving.lines[0], folder, 'the third task has it too, its data folder made again');
  t.is(readFileSync(join(leaving.record.paths!.data, 'file'), 'utf8'), 'left\n');
  const next = await run('echo "$BATON_TASK_DIR"; ls -A "$BATON_TASK_DIR"');
  t.not(next.lines[0], folder, 'a folder with data in it is not given again');
  t.deepEqual(next.lines.slice(1), [''], 'the fourth task starts with an empty data folder');
  t.false(existsSync(next.record.paths!.data), 'and left nothing to fetch');
}
