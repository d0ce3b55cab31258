import { performance } from 'node:perf_hooks';
import type { JournalEvent, JournalEventBody, JournalHeader } from './events.ts';
import { JOURNAL_FORMAT } from './events.ts';
import { TOOL_VERSION } from '../version.ts';

export type Subscriber = (event: JournalEvent) => void;

export interface Disposable {
  dispose(): void;
}

export interface JournalOptions {
  jobId?: string;
  hosts?: Record<string, string>;
  /** Monotonic clock in milliseconds; injectable for tests. @default performance.now */
  now?: () => number;
}

/**
 * The live event bus of one job. Emitters hand in event bodies; the journal stamps `seq` and `t` and hands
 * the same event object to every subscriber (the file writer, the console, reporters) in subscription order.
 */
export class Journal {
  readonly header: JournalHeader;
  private readonly subscribers = new Set<Subscriber>();
  private readonly now: () => number;
  private readonly origin: number;
  private seq = 0;
  /** Failures of subscribers during one dispatch, journalled once every subscriber has the event. */
  private readonly subscriberFailures: unknown[] = [];

  constructor(options: JournalOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.origin = this.now();
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

  emit<B extends JournalEventBody>(body: B): B & { seq: number; t: number } {
    const event = { ...body, seq: ++this.seq, t: roundMs(this.now() - this.origin) };
    for (const subscriber of this.subscribers) subscriber(event);
    for (const failure of this.subscriberFailures.splice(0)) {
      this.emit({
        kind: 'log',
        level: 'error',
        code: 'INTERNAL',
        message: `a journal subscriber failed: ${String(failure)}`,
      });
    }
    return event;
  }

  /**
   * Receive every event emitted from now on. A subscriber that throws does not stop the others: its failure is
   * itself journalled as an error `log` event.
   */
  subscribe(subscriber: Subscriber): Disposable {
    const guarded: Subscriber = (event) => {
      try {
        subscriber(event);
      } catch (error) {
        if (!(event.kind === 'log' && event.code === 'INTERNAL')) this.subscriberFailures.push(error);
      }
    };
    this.subscribers.add(guarded);
    return { dispose: () => this.subscribers.delete(guarded) };
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
