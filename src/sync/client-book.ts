/**
 * The client's book of what it is waiting for: WAITs by barrier and id, other requests by id (P3). Server
 * lines settle them: DATA and QUEUED feed a wait, an outcome line ends it, any other answer ends a request.
 */
import { BatonError } from '../errors.ts';
import { errorOf, releaseOf } from './outcome.ts';
import type { SyncRelease } from './outcome.ts';
import { percentDecode } from './percent.ts';
import type { Message } from './protocol.ts';

export interface PendingWait {
  barrier: string;
  id: string;
  /** Learnt from QUEUED, so that a re-sent WAIT joins the same generation (R3). */
  gen: number | undefined;
  line(id: string, gen: number | undefined): string;
  data: Record<string, Buffer>;
  resolve(release: SyncRelease): void;
  reject(error: BatonError): void;
}

export interface PendingRequest {
  line: string;
  sent: boolean;
  /** Collect lines up to this verb (STATUS ends with END); otherwise the first answer ends the request. */
  until: string | undefined;
  lines: Message[];
  resolve(lines: Message[]): void;
  reject(error: BatonError): void;
}

const OUTCOMES = new Set(['GO', 'ABORTED', 'TIMEOUT', 'LOST', 'CANCELLED']);

export class RequestBook {
  readonly waits = new Map<string, PendingWait>();
  readonly requests = new Map<string, PendingRequest>();
  private readonly waitsById = new Map<string, PendingWait>();
  private nextId = 1;

  addWait(
    barrier: string,
    line: PendingWait['line'],
  ): { wait: PendingWait | undefined; promise: Promise<SyncRelease> } {
    if (this.waits.has(barrier)) {
      const error = new BatonError('SYNC_ERR', `already waiting on barrier ${barrier}`, {
        barrier,
        reason: 'already-waiting',
      });
      return { wait: undefined, promise: Promise.reject(error) };
    }
    let wait!: PendingWait;
    const promise = new Promise<SyncRelease>((resolve, reject) => {
      wait = { barrier, id: 'w' + this.nextId++, gen: undefined, line, data: {}, resolve, reject };
    });
    this.waits.set(barrier, wait);
    this.waitsById.set(wait.id, wait);
    return { wait, promise };
  }

  addRequest(
    build: (id: string) => string,
    until: string | undefined,
  ): { request: PendingRequest; promise: Promise<Message[]> } {
    const id = 'r' + this.nextId++;
    let request!: PendingRequest;
    const promise = new Promise<Message[]>((resolve, reject) => {
      request = { line: build(id), sent: false, until, lines: [], resolve, reject };
    });
    this.requests.set(id, request);
    return { request, promise };
  }

  /** Settle whatever the line answers; false when it answers nothing in the book. */
  handle(message: Message): boolean {
    const id = message.fields.id;
    const wait =
      (id === undefined ? undefined : this.waitsById.get(id)) ?? this.waits.get(message.args[0] ?? '');
    if (message.verb === 'DATA') {
      const member = message.fields.member;
      if (wait && member !== undefined) wait.data[member] = percentDecode(message.args[1] ?? '');
      return true;
    }
    if (message.verb === 'QUEUED') {
      if (wait) wait.gen = Number(message.fields.gen);
      return true;
    }
    if (OUTCOMES.has(message.verb)) {
      if (wait) this.settle(wait, message);
      return true;
    }
    if (id !== undefined && this.requests.has(id)) {
      this.answer(id, message);
      return true;
    }
    if (id !== undefined && message.verb === 'ERR' && this.waitsById.has(id)) {
      this.settle(this.waitsById.get(id)!, message);
      return true;
    }
    return false;
  }

  /** The connection dropped: requests already sent may or may not have been served, so they fail as retryable. */
  rejectSent(error: BatonError): void {
    for (const [id, request] of this.requests) {
      if (!request.sent) continue;
      this.requests.delete(id);
      request.reject(error);
    }
  }

  /** End everything: waits with `waitError` (or `error`), requests with `error`. */
  failAll(error: BatonError, waitError: BatonError = error): void {
    for (const wait of this.waits.values()) {
      wait.reject(
        new BatonError(waitError.code, waitError.message, { ...waitError.fields, barrier: wait.barrier }),
      );
    }
    for (const request of this.requests.values()) request.reject(error);
    this.waits.clear();
    this.waitsById.clear();
    this.requests.clear();
  }

  private answer(id: string, message: Message): void {
    const request = this.requests.get(id)!;
    if (message.verb === 'ERR') {
      this.requests.delete(id);
      request.reject(errorOf(message));
      return;
    }
    request.lines.push(message);
    if (request.until !== undefined && message.verb !== request.until) return;
    this.requests.delete(id);
    request.resolve(request.lines);
  }

  private settle(wait: PendingWait, message: Message): void {
    this.waits.delete(wait.barrier);
    this.waitsById.delete(wait.id);
    if (message.verb === 'GO') wait.resolve(releaseOf(message, wait.data));
    else wait.reject(errorOf(message));
  }
}
