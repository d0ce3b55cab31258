import { emptyKnown, parseLine } from '../../src/session/parse.ts';
import { completeLine } from '../../src/session/line-runner.ts';
import { generalise } from '../../src/session/generalise.ts';
import type { Key } from '../input/keys.ts';
import type { JobView } from '../view/job-view.ts';
import { barrierRows, compareGroups, streamRows, taskRows } from '../view/rows.ts';
import { bindingFor, keyId } from './bindings.ts';
import { PANES } from './model.ts';
import { openLine, promptKey, saveLine } from './reduce-replay.ts';
import type { Effect, UiState } from './model.ts';

/** What the reducer takes: a key, or the terminal's new size. */
export type Input = Key | { name: 'resize'; cols: number; rows: number };

export interface Transition {
  state: UiState;
  effects: Effect[];
}

const same = (state: UiState): Transition => ({ state, effects: [] });

/**
 * The one reducer of the console: a key (or a resize) and the current state give the next state and the
 * effects to carry out. It reads the job's view but never changes it and does no I/O, so that a burst of keys
 * replays the same way typed or pasted, headless or on a terminal (P2 of STACK.md).
 */
export function reduce(state: UiState, input: Input, view: JobView): Transition {
  if (input.name === 'resize' && 'cols' in input)
    return same({ ...state, cols: input.cols, rows: input.rows });
  const key = input as Key;
  switch (state.mode) {
    case 'command':
      return commandKey(state, key, view);
    case 'filter':
      return filterKey(state, key);
    case 'help':
      return helpKey(state, key);
    case 'attach':
      return attachKey(state, key, view);
    case 'confirm-quit':
      return key.name === 'char' && key.text === 'y'
        ? { state, effects: [{ type: 'quit' }] }
        : same({ ...state, mode: 'normal', notice: '' });
    case 'normal':
      return normalKey(state, key, view);
  }
}

/** The stream selected in the streams pane. */
export function selectedStream(state: UiState, view: JobView): string | undefined {
  const rows = streamRows(view, state.filters.streams);
  return rows[Math.min(state.selected.streams, rows.length - 1)]?.name;
}

function listLength(state: UiState, view: JobView): number {
  switch (state.pane) {
    case 'streams':
      return streamRows(view, state.filters.streams).length;
    case 'queue':
      return taskRows(view, selectedStream(state, view)).length;
    case 'compare':
      return compareGroups(view).length;
    case 'barriers':
      return barrierRows(view, state.filters.barriers).length;
    case 'variants':
      return view.variants.variants.length;
    default:
      return 0;
  }
}

function select(state: UiState, view: JobView, to: (current: number, length: number) => number): Transition {
  const length = listLength(state, view);
  const current = Math.min(state.selected[state.pane], Math.max(0, length - 1));
  const next = Math.max(0, Math.min(length - 1, to(current, length)));
  return same({ ...state, selected: { ...state.selected, [state.pane]: next }, scroll: 0 });
}

function scrolled(state: UiState, by: number): Transition {
  return same({ ...state, scroll: Math.max(0, state.scroll + by) });
}

function run(state: UiState, line: string, notice = ''): Transition {
  return { state: { ...state, notice }, effects: [{ type: 'run', line }] };
}

function normalKey(state: UiState, key: Key, view: JobView): Transition {
  if (state.detachArmed) {
    const disarmed = { ...state, detachArmed: false };
    // The detach key twice: attached again, and the key goes to the program.
    if (key.name === state.detachKey && state.attached !== undefined)
      return {
        state: { ...disarmed, mode: 'attach', notice: '' },
        effects: [{ type: 'input', streams: [state.attached], data: key.raw }],
      };
    return normalKey(disarmed, key, view);
  }
  const prompted = promptKey(state, key, view);
  if (prompted) return prompted;
  const binding = bindingFor(state.pane, keyId(key), true);
  if (!binding) return same(state);
  const page = Math.max(1, state.rows - 8);
  // The log pane scrolls where the other panes select.
  const scrolls = state.pane === 'log';
  switch (binding.name) {
    case 'pane-next':
    case 'pane-previous': {
      const step = binding.name === 'pane-next' ? 1 : PANES.length - 1;
      return same({ ...state, pane: PANES[(PANES.indexOf(state.pane) + step) % PANES.length] ?? 'streams' });
    }
    case 'down':
      return scrolls ? scrolled(state, -1) : select(state, view, (at) => at + 1);
    case 'up':
      return scrolls ? scrolled(state, 1) : select(state, view, (at) => at - 1);
    case 'top':
      return scrolls ? scrolled(state, Number.MAX_SAFE_INTEGER / 2) : select(state, view, () => 0);
    case 'bottom':
      return scrolls ? same({ ...state, scroll: 0 }) : select(state, view, (_, length) => length - 1);
    case 'scroll-up':
      return scrolled(state, page);
    case 'scroll-down':
      return scrolled(state, -page);
    case 'command-line':
      return same({
        ...state,
        mode: 'command',
        line: '',
        cursor: 0,
        completions: [],
        historyAt: state.history.length,
      });
    case 'filter':
      return same({ ...state, mode: 'filter', filterText: '' });
    case 'clear-filter': {
      const filters = { ...state.filters };
      delete filters[state.pane];
      const effects: Effect[] = state.pane === 'variants' ? [{ type: 'filter-variants', filter: '' }] : [];
      return { state: { ...state, filters, notice: '' }, effects };
    }
    case 'help':
      return same({ ...state, mode: 'help', helpFilter: '' });
    case 'save':
      return same(openLine(state, `save ${view.replay?.saveAs ?? ''}`));
    case 'quit':
      return quit(state, view);
    case 'interrupt': {
      const tasks = [...view.foreground.values()]
        .flat()
        .filter((id) => ['queued', 'running'].includes(view.job.tasks[id]?.state ?? ''));
      if (tasks.length === 0) return same({ ...state, notice: 'nothing to cancel (q quits)' });
      return {
        state: { ...state, notice: `cancelling ${tasks.join(', ')}` },
        effects: [{ type: 'cancel', tasks }],
      };
    }
    case 'toggle-target': {
      const stream = selectedStream(state, view);
      if (stream === undefined) return same(state);
      const targets = state.targets.includes(stream)
        ? state.targets.filter((name) => name !== stream)
        : [...state.targets, stream];
      return same({ ...state, targets });
    }
    case 'attach': {
      const stream = selectedStream(state, view);
      if (stream === undefined) return same(state);
      if (!view.withTerminal.has(stream))
        return same({ ...state, notice: `${stream} has no terminal: attach works on pty streams` });
      return same({
        ...state,
        mode: 'attach',
        attached: stream,
        attachLine: '',
        detachArmed: false,
        notice: '',
      });
    }
    case 'cancel-task': {
      const task = taskRows(view, selectedStream(state, view))[state.selected.queue];
      if (!task || (task.state !== 'queued' && task.state !== 'running')) return same(state);
      return { state, effects: [{ type: 'cancel', tasks: [task.id] }] };
    }
    case 'expect-block': {
      const group = compareGroups(view)[state.selected.compare];
      const last = group?.lines.at(-1);
      if (!group || last === undefined) return same(state);
      return {
        state,
        effects: group.streams.map((stream): Effect => ({
          type: 'run',
          line: `expect ${stream} stdout /${generalise(last)}/`,
        })),
      };
    }
    case 'hold':
    case 'step': {
      const barrier = barrierRows(view, state.filters.barriers)[state.selected.barriers];
      if (binding.name === 'step')
        return run(state, barrier?.state === 'held' ? `step ${barrier.name}` : 'step');
      if (!barrier) return same({ ...state, notice: 'no barrier yet: type :hold NAME' });
      return run(state, `hold ${barrier.name}`);
    }
    case 'hold-all':
      return run(state, 'hold all');
    case 'release-all':
      return run(state, 'release all');
    case 'bind-variant': {
      const variant = view.variants.variants[state.selected.variants];
      return variant ? run(state, `variant ${variant.id}`) : same(state);
    }
    default: {
      const pane = /^pane-(\d)$/.exec(binding.name);
      const chosen = pane ? PANES[Number(pane[1]) - 1] : undefined;
      return chosen ? same({ ...state, pane: chosen }) : same(state);
    }
  }
}

function quit(state: UiState, view: JobView): Transition {
  const open = Object.values(view.job.streams).filter(
    (stream) => stream.state !== 'closed' && stream.state !== 'lost',
  );
  if (open.length === 0) return { state, effects: [{ type: 'quit' }] };
  return same({
    ...state,
    mode: 'confirm-quit',
    notice: `${open.length} stream(s) open: quit and close them? y/n`,
  });
}

function edit(state: UiState, line: string, cursor: number): Transition {
  const { lineError: _, ...rest } = state;
  return same({ ...rest, line, cursor, completions: [] });
}

function commandKey(state: UiState, key: Key, view: JobView): Transition {
  const { line, cursor } = state;
  if (key.name === 'char' || key.name === 'paste') {
    // A paste inserts its text without submitting: its line breaks become spaces.
    const text = key.name === 'paste' ? (key.text ?? '').replace(/\r?\n|\r/g, ' ') : (key.text ?? '');
    return edit(state, line.slice(0, cursor) + text + line.slice(cursor), cursor + text.length);
  }
  const binding = bindingFor('command', key.name, false);
  switch (binding?.name) {
    case 'submit':
      return submit(state, view);
    case 'complete':
      return complete(state, view);
    case 'history-back':
    case 'history-forward': {
      const at = Math.max(
        0,
        Math.min(state.history.length, state.historyAt + (binding.name === 'history-back' ? -1 : 1)),
      );
      const draft = state.historyAt === state.history.length ? line : state.draft;
      const text = at === state.history.length ? draft : (state.history[at] ?? '');
      return same({ ...state, historyAt: at, draft, line: text, cursor: text.length });
    }
    case 'cursor-left':
      return same({ ...state, cursor: Math.max(0, cursor - 1) });
    case 'cursor-right':
      return same({ ...state, cursor: Math.min(line.length, cursor + 1) });
    case 'line-start':
      return same({ ...state, cursor: 0 });
    case 'line-end':
      return same({ ...state, cursor: line.length });
    case 'delete-back':
      return cursor === 0
        ? same(state)
        : edit(state, line.slice(0, cursor - 1) + line.slice(cursor), cursor - 1);
    case 'delete-forward':
      return edit(state, line.slice(0, cursor) + line.slice(cursor + 1), cursor);
    case 'clear-line': {
      // Ctrl-C clears the line; on an empty line it closes it. It never quits (K8).
      const { editingStep: _, ...rest } = state;
      if (line === '') return same({ ...rest, mode: 'normal' });
      return edit(state, '', 0);
    }
    case 'close-line': {
      const { lineError: _, editingStep: __, ...rest } = state;
      return same({ ...rest, mode: 'normal', line: '', cursor: 0, completions: [] });
    }
    default:
      return same(state);
  }
}

// The names a line may use: those of the job, and those declared by the lines typed before it (still queued).
function knownOf(view: JobView, state: UiState) {
  const known = emptyKnown();
  for (const name of [...Object.keys(view.job.streams), ...state.declared.streams]) known.streams.add(name);
  for (const name of [...Object.keys(view.job.groups), ...state.declared.groups]) known.groups.add(name);
  Object.assign(known.hosts, view.hosts, state.declared.hosts);
  return known;
}

function submit(state: UiState, view: JobView): Transition {
  const text = state.line;
  const trimmed = text.trim();
  const done: UiState = { ...state, line: '', cursor: 0, completions: [], mode: 'normal' };
  delete done.lineError;
  delete done.editingStep;
  if (state.heredocTag !== undefined) {
    // The lines of a `<<TAG` block go to the runner as they are, up to the tag.
    const next = { ...done, mode: 'command' as const };
    if (trimmed === state.heredocTag) delete next.heredocTag;
    return { state: next, effects: [{ type: 'run', line: text }] };
  }
  if (trimmed === '') return same(done);
  const history = state.history.at(-1) === text ? state.history : [...state.history, text];
  const recorded = { ...done, history, historyAt: history.length };
  if (trimmed === 'help') return same({ ...recorded, mode: 'help', helpFilter: '' });
  if (trimmed === 'quit' || trimmed === 'q') return quit(recorded, view);
  if (/^save(\s|$)/.test(trimmed)) {
    const save = saveLine(text);
    // The answer comes under the panes, where a notice would hide it.
    return 'type' in save
      ? { state: { ...recorded, notice: '' }, effects: [save] }
      : same({ ...state, lineError: save });
  }
  const known = knownOf(view, state);
  const { parsed, errors } = parseLine(text, known, {});
  const [error] = errors;
  if (error || !parsed)
    // A typo runs nothing: the line stays, its column marked.
    return same({
      ...state,
      lineError: {
        col: error?.col ?? 1,
        message: error ? `${error.message} [${error.code}]` : 'not a command',
      },
    });
  recorded.declared = { streams: [...known.streams], groups: [...known.groups], hosts: { ...known.hosts } };
  if (state.editingStep !== undefined) {
    if (parsed.type !== 'action')
      return same({ ...state, lineError: { col: 1, message: 'a step is a command, not this line' } });
    return { state: recorded, effects: [{ type: 'replay-edit', line: text }] };
  }
  if (parsed.type === 'heredoc')
    return {
      state: { ...recorded, mode: 'command', heredocTag: parsed.tag },
      effects: [{ type: 'run', line: text }],
    };
  return { state: recorded, effects: [{ type: 'run', line: text }] };
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

function complete(state: UiState, view: JobView): Transition {
  const before = state.line.slice(0, state.cursor);
  const first = before.trimStart().split(/\s+/)[0];
  let [candidates, current] = completeLine(before, view.job, view.hosts);
  if (first === 'variant' && before.includes(' ')) {
    current = before.split(/\s+/).at(-1) ?? '';
    candidates = view.variants.variants.map((variant) => variant.id).filter((id) => id.startsWith(current));
  }
  if (candidates.length === 0) return same(state);
  const insert = candidates.length === 1 ? `${candidates[0]} ` : commonPrefix(candidates);
  const line = before.slice(0, before.length - current.length) + insert + state.line.slice(state.cursor);
  const cursor = before.length - current.length + insert.length;
  return same({ ...state, line, cursor, completions: candidates.length > 1 ? candidates : [] });
}

function setFilter(state: UiState, text: string): Transition {
  const filters = { ...state.filters, [state.pane]: text };
  const effects: Effect[] = state.pane === 'variants' ? [{ type: 'filter-variants', filter: text }] : [];
  return {
    state: {
      ...state,
      filterText: text,
      filters,
      scroll: 0,
      selected: { ...state.selected, [state.pane]: 0 },
    },
    effects,
  };
}

function filterKey(state: UiState, key: Key): Transition {
  if (key.name === 'char' || key.name === 'paste')
    return setFilter(state, state.filterText + (key.text ?? ''));
  if (key.name === 'up') return setFilter(state, state.lastFilter);
  switch (bindingFor('filter', key.name, false)?.name) {
    case 'filter-accept':
      return same({ ...state, mode: 'normal', lastFilter: state.filterText || state.lastFilter });
    case 'filter-cancel': {
      const cleared = setFilter(state, '');
      const filters = { ...cleared.state.filters };
      delete filters[state.pane];
      return { state: { ...cleared.state, filters, mode: 'normal' }, effects: cleared.effects };
    }
    case 'filter-delete':
      return setFilter(state, state.filterText.slice(0, -1));
    default:
      return same(state);
  }
}

function helpKey(state: UiState, key: Key): Transition {
  const name = bindingFor('help', keyId(key), false)?.name;
  if (name === 'help-close') return same({ ...state, mode: 'normal', helpFilter: '' });
  if (name === 'help-delete') return same({ ...state, helpFilter: state.helpFilter.slice(0, -1) });
  if (key.name === 'char' || key.name === 'paste')
    return same({ ...state, helpFilter: state.helpFilter + (key.text ?? '') });
  return same(state);
}

function attachKey(state: UiState, key: Key, view: JobView): Transition {
  const stream = state.attached ?? '';
  const streams = [stream, ...state.targets.filter((name) => name !== stream && view.withTerminal.has(name))];
  const input = (data: string): Effect => ({ type: 'input', streams, data });
  if (key.name === state.detachKey)
    return same({ ...state, mode: 'normal', detachArmed: true, notice: `detached from ${stream}` });
  if (key.name === 'paste') return { state, effects: [input(key.text ?? '')] };
  if (key.name === 'return') {
    const target = streams.length === 1 ? stream : `{${streams.join(',')}}`;
    return {
      state: { ...state, attachLine: '' },
      effects: [input('\r'), { type: 'sent', target, text: state.attachLine }],
    };
  }
  const attachLine =
    key.name === 'char'
      ? state.attachLine + (key.text ?? '')
      : key.name === 'backspace'
        ? state.attachLine.slice(0, -1)
        : key.name === 'ctrl-c' || key.name === 'ctrl-u'
          ? ''
          : state.attachLine;
  return { state: { ...state, attachLine }, effects: [input(key.raw)] };
}
