import type { JournalEventBody } from '../../src/journal/events.ts';
import { Journal } from '../../src/journal/journal.ts';
import { KeySplitter } from '../../ui/input/keys.ts';
import { reduce } from '../../ui/state/reduce.ts';
import type { Effect, UiState } from '../../ui/state/model.ts';
import { JobView } from '../../ui/view/job-view.ts';
import type { ReplayPhase } from '../../ui/view/replay-view.ts';

/** A view folded from journal event bodies, as the console folds the controller's journal. */
export function viewOf(bodies: JournalEventBody[]): JobView {
  const journal = new Journal();
  const view = new JobView();
  journal.subscribe((event) => view.apply(event));
  for (const body of bodies) journal.emit(body);
  return view;
}

/** Three streams (s1, s2 with a terminal, web), a command run on s1 and s2, a held barrier, two variants. */
export function sampleView(): JobView {
  const view = viewOf([
    { kind: 'stream-state', stream: 's1', host: 'local', state: 'idle' },
    { kind: 'stream-state', stream: 's2', host: 'pty', state: 'idle' },
    { kind: 'stream-state', stream: 'web', host: 'local', state: 'idle' },
    {
      kind: 'command',
      id: 1,
      source: { kind: 'console' },
      command: { kind: 'fg', target: '{s1,s2}', block: 'uname' },
    },
    { kind: 'task-queued', stream: 's1', host: 'local', task: 's1-1', index: 1, block: 'uname' },
    { kind: 'task-queued', stream: 's2', host: 'pty', task: 's2-1', index: 1, block: 'uname' },
    { kind: 'task-start', stream: 's1', task: 's1-1', block: 'uname' },
    { kind: 'output', stream: 's1', task: 's1-1', fd: 'stdout', data: 'Linux\n' },
    { kind: 'task-start', stream: 's2', task: 's2-1', block: 'uname' },
    { kind: 'barrier', phase: 'arrive', barrier: 'ready', gen: 1, member: 's1', count: 2, arrived: 1 },
    { kind: 'barrier', phase: 'arrive', barrier: 'go2', gen: 1, member: 's1', count: 2, arrived: 1 },
    { kind: 'barrier', phase: 'held', barrier: 'ready', gen: 1 },
  ]);
  view.withTerminal.add('s2');
  view.setVariants({
    files: ['demo.yaml'],
    rows: [],
    filter: '',
    count: 2,
    variants: [
      { id: 'run-a-1234', paths: ['/run/a'], params: [] },
      { id: 'run-b-5678', paths: ['/run/b'], params: [] },
    ],
  });
  return view;
}

/** Feed raw terminal chunks through the splitter and the reducer; the final state and every effect. */
export function typeChunks(
  state: UiState,
  view: JobView,
  chunks: string[],
): { state: UiState; effects: Effect[] } {
  const splitter = new KeySplitter();
  const effects: Effect[] = [];
  for (const chunk of chunks)
    for (const key of splitter.split(chunk)) {
      const next = reduce(state, key, view);
      state = next.state;
      effects.push(...next.effects);
    }
  return { state, effects };
}

/** The sample view with a three-step replay in `phase`, at its second step. */
export function replayView(phase: ReplayPhase): JobView {
  const view = sampleView();
  view.replay = {
    script: 'x.baton',
    phase,
    current: 1,
    saveAs: 'x.edited.baton',
    steps: [
      { number: 1, where: 'x.baton:3', text: 'open s1 on local', editable: true, status: 'passed' },
      { number: 2, where: 'x.baton:5', text: 'fg s1: false', editable: true, status: 'pending' },
      { number: 3, where: 'x.baton:7', text: 'fg s1: echo three', editable: true, status: 'pending' },
    ],
  };
  return view;
}
