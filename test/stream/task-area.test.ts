import test from 'ava';
import type { ExecutionContext } from 'ava';
import { readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { TaskArea } from '../../src/stream/task-area.ts';
import { LocalTransport } from '../../src/transport/local.ts';

/** The task area of an open local transport, closed by the test's teardown. */
async function localArea(t: ExecutionContext): Promise<TaskArea> {
  const transport = new LocalTransport({ kind: 'local', name: 'local' }, { stream: 'area' });
  await transport.open();
  t.teardown(() => transport.close());
  return new TaskArea(transport);
}

test('task folders are made ahead in growing batches, named as the tasks are numbered', async (t) => {
  const area = await localArea(t);
  const first = await area.folders(1);
  const root = dirname(first.task);
  t.deepEqual(readdirSync(root).sort(), ['01', '02', '03', '04', '05', '06', '07', '08']);
  for (const index of [9, 10, 99, 100, 250]) {
    const folders = await area.folders(index);
    t.true(statSync(folders.data).isDirectory(), `the data folder of task ${index}`);
    t.is(folders.task, `${root}/${String(index).padStart(2, '0')}`);
  }
  t.false(readdirSync(root).includes('1'), 'no folder named otherwise than its task');
});

test('a released task folder goes to the next task, its ship folder still named after that task', async (t) => {
  const area = await localArea(t);
  const first = await area.folders(1);
  t.false(first.reused);
  first.release();
  const second = await area.folders(2);
  t.like(second, { task: first.task, data: first.data, whiteboard: first.whiteboard, reused: true });
  t.is(second.ship, `${dirname(first.task)}/ship/02`);
  const third = await area.folders(3);
  t.like(
    third,
    { task: `${dirname(first.task)}/03`, reused: false },
    'a folder not released is not given again',
  );
});
