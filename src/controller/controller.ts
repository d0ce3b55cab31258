import { BatonError } from '../errors.ts';
import type { CommandSource, EventOf, FailureReport, JournalEvent } from '../journal/events.ts';
import type { Disposable, Journal } from '../journal/journal.ts';
import type { ResultsFolder } from '../report/results-folder.ts';
import { HostBook } from '../scenario/hosts-file.ts';
import type { ScenarioVariant } from '../scenario/variant.ts';
import { defaultVariant } from '../scenario/variant.ts';
import type { Stream } from '../stream/stream.ts';
import type { TaskHandle, TaskRecord } from '../stream/task.ts';
import type { JobSyncServer } from '../sync/job.ts';
import { BarrierDesk } from './barriers.ts';
import type { BarrierGo } from './barriers.ts';
import { BusyCount } from './busy.ts';
import { checkCommand } from './command.ts';
import type { Command, CommandOf, TaskCommand } from './command.ts';
import { checkExpectation } from './expect.ts';
import { rootCause } from './failure.ts';
import type { ThrownFailure } from './failure.ts';
import { openStream } from './open-stream.ts';
import { describeError, summarize } from './outcome.ts';
import { StreamTable } from './stream-table.ts';
import { cloneState, countsAsFailure, initialState, reduce } from './state.ts';
import type { JobState } from './state.ts';

export interface ControllerOptions {
  journal: Journal;
  /** Where task folders go; none are written without it. */
  results?: ResultsFolder;
  /** The job's sync server; without it (streams opened inside a block) the base environment names the parent's. */
  sync?: JobSyncServer;
  hosts?: HostBook;
  /** Folder that relative block paths resolve against (a runner sets `blockFolder` per scenario). @default process.cwd() */
  cwd?: string;
  /** Environment every stream gets under its own (a nested controller's: its block's). */
  baseEnv?: Record<string, string>;
  /** Aborting it interrupts the controller: every stream is closed and every wait of the controller ends. */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL for a cancelled task. @default 2000 */
  killGraceMs?: number;
  /** How `bind-variant` finds a variant by id or filter. */
  variants?: (selector: string) => ScenarioVariant | undefined;
  /** The sync member name of a stream. @default the stream's name */
  memberOf?: (stream: string) => string;
}

/** What each command gives back when it succeeds. */
export interface CommandResults {
  open: Stream;
  close: undefined;
  group: string[];
  bg: TaskHandle[];
  fg: TaskRecord[];
  send: undefined;
  resize: undefined;
  barrier: BarrierGo;
  hold: undefined;
  step: { barrier: string; gen: number };
  release: { barrier: string; gen: number }[];
  cancel: undefined;
  kill: undefined;
  wait: TaskRecord[];
  expect: undefined;
  mark: undefined;
  'bind-variant': ScenarioVariant;
}

const API: CommandSource = { kind: 'api' };

/** A prompt that asks for a secret, at the end of a terminal's output. */
const SECRET_PROMPT = /(password|passphrase|passcode|\bpin\b)[^\n]*:\s*$/i;

/**
 * The one owner of a job's streams. Everything that acts on them is a `Command`, journalled as a `command`
 * event before it runs and closed by a `command-end` event with its outcome; state is the reducer's fold of
 * the journal; a busy count tells a replay when a step's work is done.
 */
export class Controller {
  readonly journal: Journal;
  readonly hosts: HostBook;
  /** Where relative block paths of streams opened from now on resolve. */
  blockFolder: string | undefined;
  private readonly options: ControllerOptions;
  private readonly streams = new StreamTable();
  private readonly busyCount = new BusyCount();
  /** Busy units of queued tasks: given back at task-start (bg) or task-end (fg). */
  private readonly taskUnits = new Map<string, { release: () => void; until: 'task-start' | 'task-end' }>();
  private readonly state: JobState = initialState();
  private readonly subscription: Disposable;
  private readonly barriers: BarrierDesk;
  private commandCount = 0;
  private bound: ScenarioVariant = defaultVariant();
  private abortListener: (() => void) | undefined;
  private interruptedFlag = false;

  constructor(options: ControllerOptions) {
    this.options = options;
    this.journal = options.journal;
    this.hosts = options.hosts ?? new HostBook();
    this.blockFolder = options.cwd;
    this.barriers = new BarrierDesk(options.sync, this.busyCount, options.journal);
    this.subscription = this.journal.subscribe((event) => this.observe(event));
    const signal = options.signal;
    if (signal) {
      this.abortListener = () => this.interrupt();
      if (signal.aborted) this.interruptedFlag = true;
      else signal.addEventListener('abort', this.abortListener, { once: true });
    }
  }

  /** Whether the controller was interrupted (its signal aborted). */
  get interrupted(): boolean {
    return this.interruptedFlag;
  }

  get variant(): ScenarioVariant {
    return this.bound;
  }

  /** The sync scope of the bound variant: a failure aborts the barriers of this scope only. */
  get scope(): string | undefined {
    return this.barriers.scope;
  }

  /** A copy of the state the journal gives now. */
  snapshot(): JobState {
    return cloneState(this.state);
  }

  /** Units of work the next step must wait for. */
  busy(): number {
    return this.busyCount.value;
  }

  whenIdle(): Promise<void> {
    return this.busyCount.whenIdle();
  }

  /** How many task failures (not tolerated) the job has had so far: a mark for `failureReport`. */
  get failureCount(): number {
    return this.state.failures.length;
  }

  /** The root-cause report of the failures in [from, to) and what a scenario threw, if anything failed. */
  failureReport(from: number, to: number, thrown?: ThrownFailure): FailureReport | undefined {
    return rootCause(this.state, this.state.failures.slice(from, to), thrown);
  }

  stream(name: string): Stream | undefined {
    return this.streams.get(name);
  }

  /** Run a command: journalled, then run, then its outcome journalled; rejects with the failure's BatonError. */
  async execute<C extends Command>(
    command: C,
    source: CommandSource = API,
  ): Promise<CommandResults[C['kind']]> {
    if (command.kind === 'send' && command.secret !== true && this.atSecretPrompt(command.target)) {
      // Typed at an echo-off prompt (S1): a secret from here on, in the journal and everything written from it.
      this.journal.redact([command.text]);
      command = { ...command, secret: true };
    }
    const { end } = this.begin(command, source);
    try {
      const result = (await this.run(command)) as CommandResults[C['kind']];
      end(undefined, summarize(command, result));
      return result;
    } catch (error) {
      end(error);
      throw error;
    }
  }

  /**
   * Queue a block on every stream of a target at once (the library API's `runBg`, which returns its handles
   * synchronously): the same `bg` command, journalled the same way.
   */
  queue(command: TaskCommand, source: CommandSource = API): TaskHandle[] {
    const bg: CommandOf<'bg'> = { ...command, kind: 'bg' };
    const { end } = this.begin(bg, source);
    try {
      checkCommand(bg);
      const tasks = this.queueTasks(bg, 'task-start');
      end(undefined, { tasks: tasks.map((task) => task.id) });
      return tasks;
    } catch (error) {
      end(error);
      throw error;
    }
  }

  /** Bind a variant given as an object (the runner's own variants); `bind-variant` finds one by id. */
  bind(variant: ScenarioVariant, source: CommandSource = API): void {
    const { end } = this.begin({ kind: 'bind-variant', variant: variant.id }, source);
    this.setVariant(variant);
    end(undefined, { variant: variant.id });
  }

  /**
   * Give up the work in flight (a step that timed out, a replay interrupted before its `finally`): the
   * controller's barrier waits end with `code`, queued and running tasks are cancelled, and every busy unit is
   * given back, so that the next step paces on its own work only. Streams stay open.
   */
  async abandon(code: 'SESSION_STEP_TIMEOUT' | 'INTERRUPTED', why: string): Promise<void> {
    this.barriers.interrupt(new BatonError(code, `${why}: the barrier wait was given up`));
    // After a timeout only the tasks the step waits for; after an interruption every task (a bg server too).
    const tasks = Object.values(this.state.tasks)
      .filter((task) => task.state === 'queued' || task.state === 'running')
      .filter((task) => code === 'INTERRUPTED' || this.taskUnits.has(task.id))
      .map((task) => task.id);
    const dropped = this.busyCount.dropAll();
    this.taskUnits.clear();
    this.journal.emit({
      kind: 'log',
      level: 'warn',
      code,
      message: `${why}: gave up ${dropped} busy unit${dropped === 1 ? '' : 's'} and cancels ${tasks.length} task${tasks.length === 1 ? '' : 's'}`,
    });
    await Promise.allSettled(tasks.map((task) => this.execute({ kind: 'cancel', task })));
  }

  /** Close every stream, also those still opening; the controller can go on afterwards. */
  async closeStreams(): Promise<void> {
    await Promise.allSettled(this.streams.all().map((stream) => stream.close()));
  }

  /** Close every stream and stop following the journal. */
  async dispose(): Promise<void> {
    if (this.abortListener) this.options.signal?.removeEventListener('abort', this.abortListener);
    await this.closeStreams();
    this.barriers.interrupt();
    this.subscription.dispose();
  }

  // Journal a command (also one that is then refused as invalid) and take its busy unit until it ends.
  private begin(command: Command, source: CommandSource) {
    const id = ++this.commandCount;
    const release = this.busyCount.take();
    const started = performance.now();
    this.journal.emit({ kind: 'command', id, source, command: journalled(command) });
    const end = (error: unknown, result?: Record<string, unknown>) => {
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      this.journal.emit({
        kind: 'command-end',
        id,
        ok: error === undefined,
        durationMs,
        ...(error === undefined ? {} : describeError(error)),
        ...(result === undefined ? {} : { result }),
      });
      release();
    };
    return { end };
  }

  private async run(command: Command): Promise<unknown> {
    checkCommand(command);
    if (this.interruptedFlag && command.kind !== 'close' && command.kind !== 'mark')
      throw new BatonError('INTERRUPTED', `the job was interrupted: ${command.kind} not run`);
    switch (command.kind) {
      case 'open':
        return this.open(command);
      case 'close':
        return this.streams.resolve(command.stream)[0]?.close();
      case 'group':
        this.streams.group(command.name, command.streams);
        return command.streams;
      case 'bg':
        return this.queueTasks(command, 'task-start');
      case 'fg':
        return Promise.all(this.queueTasks(command, 'task-end').map((task) => task.done));
      case 'send':
        for (const stream of this.streams.resolve(command.target))
          this.terminalOf(stream).write(`${command.text}\r`, command.secret ? { secret: true } : {});
        return undefined;
      case 'resize': {
        const [stream] = this.streams.resolve(command.stream);
        if (stream) this.terminalOf(stream).resize(command.cols, command.rows);
        return undefined;
      }
      case 'barrier':
        return this.barriers.wait(command.name, command.count, command.timeoutMs);
      case 'hold':
        return this.barriers.hold(command.all === true ? undefined : command.barrier);
      case 'step':
        return this.barriers.step(command.barrier);
      case 'release':
        return this.barriers.release(command.barrier);
      case 'cancel':
        return this.cancel(command.task);
      case 'kill':
        for (const stream of this.streams.resolve(command.target))
          await stream.kill((command.signal ?? 'SIGTERM') as NodeJS.Signals);
        return undefined;
      case 'wait': {
        const streams =
          command.target === undefined ? this.streams.all() : this.streams.resolve(command.target);
        return (await Promise.all(streams.map((stream) => stream.settled()))).flat();
      }
      case 'expect':
        return checkExpectation(this.state, command.expectation);
      case 'mark':
        return undefined;
      case 'bind-variant': {
        const variant = this.options.variants?.(command.variant);
        if (!variant)
          throw new BatonError('VARIANT_UNKNOWN', `no variant matches ${command.variant}`, {
            variant: command.variant,
          });
        this.setVariant(variant);
        return variant;
      }
    }
  }

  private open(command: CommandOf<'open'>): Promise<Stream> {
    const { results, sync, baseEnv, memberOf, killGraceMs } = this.options;
    return openStream(command, {
      journal: this.journal,
      hosts: this.hosts,
      streams: this.streams,
      variant: this.bound,
      scope: this.barriers.scope,
      ...(results ? { results } : {}),
      ...(sync ? { sync } : {}),
      ...(baseEnv ? { baseEnv } : {}),
      ...(memberOf ? { memberOf } : {}),
      ...(killGraceMs === undefined ? {} : { killGraceMs }),
      ...(this.blockFolder ? { blockFolder: this.blockFolder } : {}),
    });
  }

  private queueTasks(command: TaskCommand, until: 'task-start' | 'task-end'): TaskHandle[] {
    const streams = this.streams.resolve(command.target);
    const options = {
      ...(command.timeoutMs === undefined ? {} : { timeoutMs: command.timeoutMs }),
      ...(command.env ? { env: command.env } : {}),
      ...(command.ignoreErrors ? { ignoreErrors: true } : {}),
    };
    return streams.map((stream) => {
      const release = this.busyCount.take();
      try {
        const task = stream.runBg(command.block, options);
        if (task.state === 'done') release();
        else this.taskUnits.set(task.id, { release, until });
        return task;
      } catch (error) {
        release();
        throw error;
      }
    });
  }

  private async cancel(id: string): Promise<void> {
    const stream = this.streams.ownerOf(id);
    if (!stream) throw new BatonError('TASK_UNKNOWN', `no task ${id}: no stream owns it`, { task: id });
    await stream.cancel(id);
  }

  // Whether a stream of the target shows a password prompt: its terminal has echo off, or (where the
  // transport cannot tell, ssh) the output of its running task ends in a prompt naming a password.
  private atSecretPrompt(target: string): boolean {
    let streams: Stream[];
    try {
      streams = this.streams.resolve(target);
    } catch {
      return false;
    }
    return streams.some((stream) => {
      const echoOff = stream.terminal?.echoOff();
      if (echoOff !== undefined) return echoOff;
      const task = this.state.tasks[this.state.streams[stream.name]?.running ?? ''];
      return task !== undefined && SECRET_PROMPT.test(task.stdout.slice(-200));
    });
  }

  private terminalOf(stream: Stream) {
    const terminal = stream.terminal;
    if (!terminal)
      throw new BatonError(
        'TRANSPORT_NO_TERMINAL',
        `stream ${stream.name} has no terminal (open it with pty)`,
        {
          stream: stream.name,
        },
      );
    return terminal;
  }

  private setVariant(variant: ScenarioVariant): void {
    this.bound = variant;
    const sync = this.options.sync;
    this.barriers.scope = sync ? `${sync.scope}/${variant.id || 'default'}`.slice(0, 128) : undefined;
  }

  /** Every event: the state's fold, the busy units of tasks, and the failure policy. */
  private observe(event: JournalEvent): void {
    reduce(this.state, event);
    if (event.kind === 'task-start' || event.kind === 'task-end') {
      const unit = this.taskUnits.get(event.task);
      if (unit && (event.kind === 'task-end' || unit.until === 'task-start')) {
        this.taskUnits.delete(event.task);
        unit.release();
      }
    }
    if (event.kind === 'task-end' && countsAsFailure(event) && this.streams.has(event.stream))
      this.barriers.failScope(`${event.task}-${event.status}`);
  }

  private interrupt(): void {
    if (this.interruptedFlag) return;
    this.interruptedFlag = true;
    this.journal.emit({
      kind: 'log',
      level: 'warn',
      code: 'INTERRUPTED',
      message: 'interrupted: closing every stream',
    });
    this.barriers.interrupt();
    void this.closeStreams();
  }
}

// A command as the journal shows it: the text of a secret `send` never, its `${secret:NAME}` form instead.
function journalled(command: Command): EventOf<'command'>['command'] {
  if (command.kind !== 'send' || command.secret !== true) return { ...command };
  return { ...command, text: command.shown ?? '(secret)' };
}
