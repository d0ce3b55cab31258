import { performance } from 'node:perf_hooks';
import type { JournalEvent, JournalEventBody, JournalHeader } from './events.ts';
import { JOURNAL_FORMAT } from './events.ts';
import { TOOL_VERSION } from '../version.ts';
import { Redactor } from './redact.ts';

export type Subscriber = (event: JournalEvent) => void;

export interface Disposable {
  dispose(): void;
}

export interface JournalOptions {
  jobId?: string;
  hosts?: Record<string, string>;
  /** Monotonic clock in milliseconds; injectable for tests. @default performance.now */
  now?: () => number;
  /** How many recent events are kept for subscribers that attach late (`subscribe(fn, {fromSeq})`). @default 10000 */
  backlog?: number;
  /** At most this many characters of output are kept in the backlog, whatever its count. @default 4 MiB */
  backlogChars?: number;
}

export interface SubscribeOptions {
  /**
   * Replay the kept events from this `seq` on before the live ones (a console attached after the job started).
   * Events older than the backlog are gone: the subscriber then starts at the oldest kept one.
   */
  fromSeq?: number;
}

type Guarded = (event: JournalEvent) => void;

/**
 * The live event bus of one job. Emitters hand in event bodies; the journal stamps `seq` and `t` and hands the
 * same event object to every subscriber (the file writer, the console, reporters) in subscription order. An
 * event emitted by a subscriber during a dispatch is queued and dispatched once the current event has reached
 * every subscriber, so every subscriber sees every event, in `seq` order.
 */
export class Journal {
  readonly header: JournalHeader;
  private readonly subscribers = new Set<Guarded>();
  private readonly now: () => number;
  private readonly origin: number;
  private seq = 0;
  private readonly backlogSize: number;
  private readonly backlog: JournalEvent[] = [];
  private backlogStart = 0;
  private readonly backlogCharsMax: number;
  private backlogChars = 0;
  private readonly queue: JournalEvent[] = [];
  private dispatching = false;
  /** Failures of subscribers during one dispatch, journalled once every subscriber has the event. */
  private readonly subscriberFailures: unknown[] = [];
  private readonly redactor = new Redactor();

  constructor(options: JournalOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.origin = this.now();
    this.backlogSize = options.backlog ?? 10_000;
    this.backlogCharsMax = options.backlogChars ?? 4 * 1024 * 1024;
    this.header = {
      format: JOURNAL_FORMAT,
      tool: TOOL_VERSION,
      jobId: options.jobId ?? newJobId(),
      startedAt: new Date().toISOString(),
      ...(options.hosts ? { hosts: options.hosts } : {}),
    };
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Secret values (S2): from now on every event has them replaced before anyone sees it. */
  redact(values: Iterable<string>): void {
    this.redactor.add(values);
  }

  /**
   * Stamp and dispatch an event. Outside a dispatch every subscriber has it when `emit` returns; from inside a
   * subscriber it is dispatched right after the event being dispatched (its `seq` is already assigned).
   */
  emit<B extends JournalEventBody>(body: B): B & { seq: number; t: number } {
    const clean = this.redactor.empty ? body : this.redactor.deep(body);
    const event = { ...clean, seq: ++this.seq, t: roundMs(this.now() - this.origin) };
    this.keep(event);
    this.queue.push(event);
    if (!this.dispatching) this.drain();
    return event;
  }

  /**
   * Receive every event emitted from now on (and, with `fromSeq`, the kept ones from that seq). A subscriber
   * that throws does not stop the others: its failure is itself journalled as an error `log` event.
   */
  subscribe(subscriber: Subscriber, options: SubscribeOptions = {}): Disposable {
    const guarded: Guarded = (event) => {
      try {
        subscriber(event);
      } catch (error) {
        if (!(event.kind === 'log' && event.code === 'INTERNAL')) this.subscriberFailures.push(error);
      }
    };
    if (options.fromSeq !== undefined) {
      // Events still queued for dispatch reach the new subscriber through the queue, not twice.
      const queuedFrom = this.queue[0]?.seq ?? this.seq + 1;
      for (const event of this.backlog.slice(Math.max(0, options.fromSeq - this.backlogStart - 1))) {
        if (event.seq >= queuedFrom) break;
        guarded(event);
      }
    }
    this.subscribers.add(guarded);
    this.reportFailures();
    return { dispose: () => this.subscribers.delete(guarded) };
  }

  // Trimmed only past twice either bound, so that the copy of what is kept is paid once per many events.
  private keep(event: JournalEvent): void {
    if (this.backlogSize <= 0) return;
    if (this.backlog.length === 0) this.backlogStart = event.seq - 1;
    this.backlog.push(event);
    this.backlogChars += charsOf(event);
    if (this.backlog.length <= this.backlogSize * 2 && this.backlogChars <= this.backlogCharsMax * 2) return;
    let drop = Math.max(0, this.backlog.length - this.backlogSize);
    let chars = this.backlogChars;
    for (let index = 0; index < drop; index++) chars -= charsOf(this.backlog[index]);
    while (chars > this.backlogCharsMax && drop < this.backlog.length - 1)
      chars -= charsOf(this.backlog[drop++]);
    this.backlog.splice(0, drop);
    this.backlogStart += drop;
    this.backlogChars = chars;
  }

  private drain(): void {
    this.dispatching = true;
    try {
      for (let event = this.queue.shift(); event !== undefined; event = this.queue.shift()) {
        // A subscriber added during this event's dispatch starts after it (or takes it from the backlog).
        for (const subscriber of [...this.subscribers])
          if (this.subscribers.has(subscriber)) subscriber(event);
        this.reportFailures();
      }
    } finally {
      this.dispatching = false;
    }
  }

  private reportFailures(): void {
    for (const failure of this.subscriberFailures.splice(0)) {
      this.emit({
        kind: 'log',
        level: 'error',
        code: 'INTERNAL',
        message: `a journal subscriber failed: ${String(failure)}`,
      });
    }
  }
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A job id that sorts by start time and is unique enough for one machine: `20261122-120930-4f2a`. */
export function newJobId(date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}

/** What an event weighs in the backlog: the text it carries (output), the rest counted as nothing. */
function charsOf(event: JournalEvent): number {
  return event.kind === 'output' ? event.data.length : 0;
}
