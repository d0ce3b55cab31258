import test from 'ava';
import { initialUi } from '../../ui/state/model.ts';
import { ConsoleStore } from '../../ui/state/store.ts';
import { lastLines, outputLines } from '../../ui/view/rows.ts';
import { JobView } from '../../ui/view/job-view.ts';
import { waitFor } from '../helpers/wait.ts';
import { viewOf } from './support.ts';

test('lastLines takes the last lines from the end, a trailing newline ending the last one', (t) => {
  t.is(lastLines('a\nb\nc\n', 2), 'b\nc\n');
  t.is(lastLines('a\nb\nc', 2), 'b\nc');
  t.is(lastLines('a\nb\n', 5), 'a\nb\n');
  t.is(lastLines('', 3), '');
});

test('the output pane gets the newest lines of a long task, headed by its command, as many as fit', (t) => {
  const data = Array.from({ length: 3000 }, (_, index) => `line ${index + 1}`).join('\n') + '\n';
  const view = viewOf([
    { kind: 'stream-state', stream: 's1', host: 'local', state: 'idle' },
    { kind: 'task-queued', stream: 's1', host: 'local', task: 's1-1', index: 1, block: 'seq' },
    { kind: 'task-start', stream: 's1', task: 's1-1', block: 'seq' },
    { kind: 'output', stream: 's1', task: 's1-1', fd: 'stdout', data },
  ]);
  const lines = outputLines(view, 's1', 4, 0);
  t.deepEqual(
    lines.map((line) => line.text),
    ['line 2997', 'line 2998', 'line 2999', 'line 3000'],
  );
  const all = outputLines(view, 's1', 5000, 0);
  t.is(all[0]?.kind, 'head');
  t.is(all.at(-1)?.text, 'line 3000');
  t.is(outputLines(view, 's1', 2, 0, '915').at(-1)?.text, 'line 2915');
});

test('a burst of changes gives one frame: every change is applied, frames in between are dropped', async (t) => {
  const store = new ConsoleStore(initialUi(80, 24), new JobView());
  t.teardown(() => store.dispose());
  let frames = 0;
  store.subscribe(() => frames++);
  for (let change = 0; change < 1000; change++) store.changed();
  await waitFor(() => frames > 0, { what: 'a frame' });
  t.is(frames, 1);
  t.is(store.getSnapshot(), 1);
});
