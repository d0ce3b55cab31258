import type { ErrorCode } from '../errors.ts';
import type { EventOf, JournalEvent, RunStatus, StreamState, TaskStatus } from '../journal/events.ts';

/**
 * The state of a job as its journal tells it: streams, their queues and tasks, barriers, the bound variant.
 * `reduce` is the one reducer the console, `expect`, `baton dash` and reports read. It is deterministic and does
 * no I/O; it applies an event to the state it is given (a copy per event would cost the whole job per event),
 * so keep the state private and hand out `cloneState` copies.
 */
export interface JobState {
  jobId?: string;
  status: 'running' | RunStatus;
  exitCode?: number;
  /** The seq of the last event applied. */
  seq: number;
  streams: Record<string, StreamView>;
  tasks: Record<string, TaskView>;
  barriers: Record<string, BarrierView>;
  groups: Record<string, string[]>;
  holding: { all: boolean; barriers: string[] };
  /** The variant bound now (its params feed `${param:...}` and the streams opened from now on). */
  variant?: VariantView;
  /** Variants that ended, in order. */
  variants: VariantView[];
  /** Commands started and not ended, by id. */
  commands: Record<number, EventOf<'command'>['command']>;
  /** Each mark's seq: output `since` a mark is the output of events after it. */
  marks: Record<string, number>;
  /** Task failures that were not tolerated, in journal order: the first is a variant's root cause. */
  failures: string[];
}

export interface StreamView {
  name: string;
  host: string;
  state: StreamState;
  cause?: string;
  code?: ErrorCode;
  /** Queued task ids, in order. */
  queue: string[];
  running?: string;
  /** The last task queued on the stream (what `expect STREAM exit N` looks at). */
  last?: string;
  tasksDone: number;
  tasksFailed: number;
}

export interface TaskView {
  id: string;
  stream: string;
  block: string;
  index: number;
  state: 'queued' | 'running' | TaskStatus;
  /** The seq of the task's `task-queued` event. */
  queuedSeq: number;
  exitCode?: number | null;
  signal?: string | null;
  code?: ErrorCode;
  message?: string;
  tolerated?: boolean;
  durationMs?: number;
  /** The seq of the task's `task-end` event. */
  endSeq?: number;
  /** For failures: the last lines of stderr (of stdout when stderr was empty). */
  tail?: string[];
  /** Output text kept for `expect` and tails: at least the last OUTPUT_KEPT characters of each fd (at most 1.5 times). */
  stdout: string;
  stderr: string;
  /** Set when the output kept is not all the output. */
  truncated?: boolean;
  /** Characters of each fd ever printed (the kept text is the last of them). */
  written: { stdout: number; stderr: number };
  /**
   * Where output chunks start, per fd, as flat pairs: the output event's seq, then its offset in all the
   * characters written; pairs before the kept text are dropped but the one it starts in. For `since`.
   */
  starts: { stdout: number[]; stderr: number[] };
}

export type BarrierOutcome = 'open' | 'held' | 'go' | 'aborted' | 'timeout' | 'lost';

export interface BarrierView {
  name: string;
  gen: number;
  state: BarrierOutcome;
  count?: number;
  members?: string[];
  arrived: string[];
  /** Members not arrived yet, by name when the barrier lists them; `missingCount` always. */
  missing: string[];
  missingCount?: number;
  /** Whether a hold (or hold-all) applies to this barrier. */
  held: boolean;
  by?: string;
  reason?: string;
}

export interface VariantView {
  id: string;
  scenario?: string;
  index?: number;
  total?: number;
  status: 'running' | RunStatus;
  params?: Record<string, unknown>;
  errorCode?: ErrorCode;
}

/** How much output text a task keeps in the state, per fd. */
export const OUTPUT_KEPT = 64 * 1024;

export function initialState(): JobState {
  return {
    status: 'running',
    seq: 0,
    streams: {},
    tasks: {},
    barriers: {},
    groups: {},
    holding: { all: false, barriers: [] },
    variants: [],
    commands: {},
    marks: {},
    failures: [],
  };
}

/** Fold one event into the state; returns the same state object. */
export function reduce(state: JobState, event: JournalEvent): JobState {
  state.seq = event.seq;
  switch (event.kind) {
    case 'job-start':
      state.jobId = event.jobId;
      break;
    case 'job-end':
      state.status = event.status;
      state.exitCode = event.exitCode;
      break;
    case 'command':
      state.commands[event.id] = event.command;
      if (event.command.kind === 'mark' && typeof event.command.name === 'string')
        state.marks[event.command.name] = event.seq;
      break;
    case 'command-end':
      commandEnded(state, event);
      break;
    case 'stream-state':
      streamState(state, event);
      break;
    case 'task-queued':
      taskQueued(state, event);
      break;
    case 'task-start': {
      const task = state.tasks[event.task];
      const stream = state.streams[event.stream];
      if (task) task.state = 'running';
      if (stream) {
        stream.queue = stream.queue.filter((id) => id !== event.task);
        stream.running = event.task;
      }
      break;
    }
    case 'task-end':
      taskEnded(state, event);
      break;
    case 'output': {
      const task = state.tasks[event.task];
      if (task && event.encoding === undefined) keepOutput(task, event.fd, event.data, event.seq);
      break;
    }
    case 'barrier':
      barrierEvent(state, event);
      break;
    case 'variant-start':
      state.variant = {
        id: event.variant,
        scenario: event.scenario,
        index: event.index,
        total: event.total,
        status: 'running',
        ...(event.params ? { params: event.params } : {}),
      };
      break;
    case 'variant-end': {
      const bound = state.variant?.id === event.variant ? state.variant : undefined;
      const ended: VariantView = {
        ...bound,
        id: event.variant,
        status: event.status,
        ...(event.scenario ? { scenario: event.scenario } : {}),
        ...(event.error ? { errorCode: event.error.code } : {}),
      };
      state.variants.push(ended);
      if (bound) state.variant = ended;
      break;
    }
    case 'input':
    case 'resize':
    case 'log':
      break;
  }
  return state;
}

/** The state a whole journal gives. */
export function reduceAll(events: Iterable<JournalEvent>, state = initialState()): JobState {
  for (const event of events) reduce(state, event);
  return state;
}

/** A copy of the state that shares nothing with it. */
export function cloneState(state: JobState): JobState {
  return structuredClone(state);
}

function commandEnded(state: JobState, event: EventOf<'command-end'>): void {
  const command = state.commands[event.id];
  delete state.commands[event.id];
  if (!command || !event.ok) return;
  const barrier = typeof command.barrier === 'string' ? command.barrier : undefined;
  const holding = state.holding;
  if (command.kind === 'hold') {
    if (command.all === true) holding.all = true;
    else if (barrier !== undefined && !holding.barriers.includes(barrier)) holding.barriers.push(barrier);
  } else if (command.kind === 'release') {
    if (barrier === undefined) state.holding = { all: false, barriers: [] };
    else holding.barriers = holding.barriers.filter((name) => name !== barrier);
  } else if (command.kind === 'group' && typeof command.name === 'string' && Array.isArray(command.streams)) {
    state.groups[command.name] = command.streams.map(String);
  }
  for (const view of Object.values(state.barriers)) view.held = isHeld(state, view.name);
}

function isHeld(state: JobState, barrier: string): boolean {
  return state.holding.all || state.holding.barriers.includes(barrier);
}

function streamState(state: JobState, event: EventOf<'stream-state'>): void {
  const existing = state.streams[event.stream];
  // A stream opened again under the same name starts a new view; its old tasks stay in `tasks`.
  const view: StreamView =
    existing && !(event.state === 'opening' && existing.state === 'closed')
      ? existing
      : { name: event.stream, host: event.host, state: event.state, queue: [], tasksDone: 0, tasksFailed: 0 };
  view.host = event.host;
  view.state = event.state;
  if (event.cause === undefined) delete view.cause;
  else view.cause = event.cause;
  if (event.code === undefined) delete view.code;
  else view.code = event.code;
  state.streams[event.stream] = view;
}

function taskQueued(state: JobState, event: EventOf<'task-queued'>): void {
  state.tasks[event.task] = {
    id: event.task,
    stream: event.stream,
    block: event.block,
    index: event.index,
    state: 'queued',
    queuedSeq: event.seq,
    stdout: '',
    stderr: '',
    written: { stdout: 0, stderr: 0 },
    starts: { stdout: [], stderr: [] },
  };
  const stream = state.streams[event.stream];
  if (stream) {
    stream.queue.push(event.task);
    stream.last = event.task;
  }
}

function keepOutput(task: TaskView, fd: 'stdout' | 'stderr', data: string, seq: number): void {
  const starts = task.starts[fd];
  starts.push(seq, task.written[fd]);
  task.written[fd] += data.length;
  const kept = task[fd] + data;
  // Trimmed only past one and a half times the bound: trimming copies what is kept, and trimming on every event
  // of a chatty task copied OUTPUT_KEPT characters per event. Not past twice: V8 allocates a flat string of
  // 128 KiB or more in its large-object space, several times slower.
  if (kept.length <= OUTPUT_KEPT + OUTPUT_KEPT / 2) {
    task[fd] = kept;
    return;
  }
  task.truncated = true;
  task[fd] = kept.slice(-OUTPUT_KEPT);
  const keptFrom = task.written[fd] - OUTPUT_KEPT;
  let drop = 0;
  while (drop + 3 < starts.length && (starts[drop + 3] ?? 0) <= keptFrom) drop += 2;
  if (drop > 0) starts.splice(0, drop);
}

/** The text a task printed on `fd` in output events after `seq` (as much of it as is kept). */
export function outputSince(task: TaskView, fd: 'stdout' | 'stderr', seq: number): string {
  const text = task[fd];
  if (task.queuedSeq > seq) return text;
  const starts = task.starts[fd];
  for (let index = 0; index < starts.length; index += 2) {
    if ((starts[index] ?? 0) <= seq) continue;
    const keptFrom = task.written[fd] - text.length;
    return text.slice(Math.max(0, (starts[index + 1] ?? 0) - keptFrom));
  }
  return '';
}

function taskEnded(state: JobState, event: EventOf<'task-end'>): void {
  const task = state.tasks[event.task];
  if (task) {
    task.state = event.status;
    task.exitCode = event.exitCode;
    task.signal = event.signal;
    task.durationMs = event.durationMs;
    task.endSeq = event.seq;
    if (event.tail !== undefined) task.tail = event.tail;
    if (event.code !== undefined) task.code = event.code;
    if (event.message !== undefined) task.message = event.message;
    if (event.tolerated) task.tolerated = true;
  }
  const stream = state.streams[event.stream];
  if (stream) {
    stream.queue = stream.queue.filter((id) => id !== event.task);
    if (stream.running === event.task) delete stream.running;
    stream.tasksDone++;
    if (event.status !== 'passed') stream.tasksFailed++;
  }
  if (countsAsFailure(event)) state.failures.push(event.task);
}

/**
 * Whether a task's end fails its variant (and aborts the barriers of its scope): any end but `passed`, unless
 * the task ran with ignoreErrors or was cancelled on purpose (a cancel, or its stream closed).
 */
export function countsAsFailure(event: EventOf<'task-end'>): boolean {
  return event.status !== 'passed' && event.status !== 'cancelled' && !event.tolerated;
}

const OUTCOME: Partial<Record<EventOf<'barrier'>['phase'], BarrierOutcome>> = {
  held: 'held',
  go: 'go',
  abort: 'aborted',
  timeout: 'timeout',
  lost: 'lost',
};

function barrierEvent(state: JobState, event: EventOf<'barrier'>): void {
  if (!event.barrier) return;
  let view = state.barriers[event.barrier];
  if (!view || event.gen > view.gen) {
    view = {
      name: event.barrier,
      gen: event.gen,
      state: 'open',
      arrived: [],
      missing: [],
      held: isHeld(state, event.barrier),
    };
    state.barriers[event.barrier] = view;
  }
  if (event.gen < view.gen) return;
  if (event.count !== undefined) view.count = event.count;
  if (event.members !== undefined) view.members = event.members;
  if (event.phase === 'arrive' && event.member !== undefined && !view.arrived.includes(event.member))
    view.arrived.push(event.member);
  if (event.phase === 'cancel' && event.member !== undefined)
    view.arrived = view.arrived.filter((member) => member !== event.member);
  const outcome = OUTCOME[event.phase];
  if (outcome !== undefined) view.state = outcome;
  if (event.phase === 'abort') {
    const by = event.detail?.by ?? event.member;
    if (by !== undefined) view.by = by;
  }
  if (event.reason !== undefined) view.reason = event.reason;
  const arrived = new Set(view.arrived);
  view.missing = view.state === 'go' ? [] : (view.members ?? []).filter((member) => !arrived.has(member));
  if (view.count !== undefined)
    view.missingCount = view.state === 'go' ? 0 : Math.max(0, view.count - arrived.size);
}
