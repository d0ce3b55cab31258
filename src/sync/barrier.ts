/**
 * A barrier and its generations (B3): who arrived, when, with what data, and the one outcome of each
 * generation (B5), kept after release so that late or re-sent waits get it replayed (B4).
 * Data is encoded once: as soon as a generation's data is too large to go inline, each arrival's data is copied
 * into the generation's `DATA` lines (data-lines.ts), and the same few buffers are what every waiter is sent; the
 * outcome line is built once, each waiter only adding its `waited_ms` and `id` (T2, B7).
 */
import { formatLine } from './codec.ts';
import { DataLines, viewsOf } from './data-lines.ts';
import type { DataLine } from './data-lines.ts';
import type { FieldValue } from './codec.ts';
import type { ErrReason, OutcomeKind } from './protocol.ts';
import { OUTCOME_VERB } from './protocol.ts';

/** Whoever receives the lines that end a wait: a session, attached to a connection or holding them for a resume. */
export interface Waiter {
  readonly member: string;
  /**
   * Deliver what ends this member's wait on `barrier`: the generation's `DATA` lines (buffers shared by every
   * waiter, when there are any) and then the outcome line; called synchronously during a release.
   */
  deliverOutcome(barrier: string, gen: number, data: readonly Buffer[] | undefined, line: string): void;
}

export interface Arrival {
  member: string;
  waiter: Waiter | undefined;
  requestId: string | undefined;
  /** Server monotonic milliseconds. */
  arrivedAt: number;
  /** Percent-encoded, never decoded by the server (B7): the bytes of the WAIT line, while the data goes inline. */
  data: Buffer | undefined;
  /** The arrival's `DATA` line, once the generation's data no longer goes inline (then `data` is dropped). */
  line?: DataLine;
  /** Length of the percent-encoded data, whichever form holds it. */
  dataLength?: number;
  /** Decoded bytes of the data, counted against the per-generation limit. */
  dataBytes?: number;
}

export interface Outcome {
  kind: OutcomeKind;
  resolvedAt: number;
  /** The outcome line without `waited_ms`, `id` and the newline. */
  head: string;
  /** The `DATA` lines sent before a `GO` whose data is too large to go inline, encoded once; they carry no `id`. */
  data: readonly Buffer[] | undefined;
  by?: string;
  reason?: string;
  member?: string;
  cause?: string;
}

/** Inline data in the `GO` line up to this many bytes in all, else as `DATA` lines before it (B7). */
export const INLINE_DATA_BYTES = 4096;

/** List `members=` in the `GO` line up to this many bytes; larger generations give `members_count=` only. */
export const INLINE_MEMBERS_BYTES = 1024;

export class Generation {
  readonly barrier: string;
  readonly gen: number;
  readonly count: number;
  readonly members: readonly string[] | undefined;
  readonly arrivals = new Map<string, Arrival>();
  readonly openedAt: number;
  deadline: NodeJS.Timeout | undefined;
  deadlineAt: number | undefined;
  timeoutMs: number | undefined;
  dataBytes = 0;
  /** Percent-encoded data of the arrivals, all together: past INLINE_DATA_BYTES it goes as `DATA` lines. */
  encodedDataBytes = 0;
  /** Arrivals' data is kept as `DATA` lines (`Arrival.line`), written here. */
  blocks: DataLines | undefined;
  /** Every member arrived but the barrier is held: it waits for a step or a release. */
  held = false;
  /** What was left of the deadline when the generation was held (a held generation does not time out). */
  suspendedMs: number | undefined;
  firstArrivalAt: number | undefined;
  lastArrivalAt: number | undefined;
  outcome: Outcome | undefined;

  constructor(
    barrier: string,
    gen: number,
    count: number,
    members: readonly string[] | undefined,
    now: number,
  ) {
    this.barrier = barrier;
    this.gen = gen;
    this.count = count;
    this.members = members;
    this.openedAt = now;
  }

  get isOpen(): boolean {
    return this.outcome === undefined;
  }

  arrive(arrival: Arrival): void {
    this.arrivals.set(arrival.member, arrival);
    if (arrival.data !== undefined) {
      arrival.dataLength = arrival.data.length;
      this.encodedDataBytes += arrival.data.length;
      if (this.blocks) this.encodeBlock(arrival);
      else if (this.encodedDataBytes > INLINE_DATA_BYTES) {
        this.blocks = new DataLines();
        for (const each of this.arrivals.values()) this.encodeBlock(each);
      }
      // The data came as a view of a lent read buffer: what stays inline gets bytes of its own.
      if (arrival.data !== undefined) arrival.data = Buffer.from(arrival.data);
    }
    this.firstArrivalAt ??= arrival.arrivedAt;
    this.lastArrivalAt = arrival.arrivedAt;
  }

  /** Why `member` may not join with this `count` and `members=`, if it may not (B1, B6). */
  refusal(
    member: string,
    count: number | undefined,
    members: readonly string[] | undefined,
  ): { reason: ErrReason; fields: Record<string, FieldValue> } | undefined {
    if (count !== undefined && count !== this.count)
      return { reason: 'count-mismatch', fields: { expected: this.count } };
    if (members && !sameMembers(members, this.members)) {
      return { reason: 'members-mismatch', fields: { expected: this.members?.join(',') ?? '-' } };
    }
    if (this.members && !this.members.includes(member)) return { reason: 'not-a-member', fields: {} };
    return undefined;
  }

  /**
   * Members of a fixed list that have not arrived; for a count-only barrier, the `candidates` that have not. At
   * most `limit` names, so that the cost is that of the list and not of every session; `more` says it was cut.
   */
  missing(candidates: Iterable<string>, limit: number): { names: string[]; more: boolean } {
    const pool = this.members ?? candidates;
    const names: string[] = [];
    const listed = new Set<string>();
    for (const member of pool) {
      if (this.arrivals.has(member) || listed.has(member)) continue;
      if (names.length === limit) return { names, more: true };
      names.push(member);
      listed.add(member);
    }
    return { names, more: false };
  }

  get isFull(): boolean {
    return this.arrivals.size >= this.count;
  }

  /** Record the outcome and encode it once; delivery is the caller's (`deliverAll`). */
  resolve(
    kind: OutcomeKind,
    now: number,
    fields: Record<string, FieldValue>,
    extra: Partial<Outcome> = {},
  ): Outcome {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
    this.held = false;
    const dataFields: Record<string, FieldValue> = {};
    let data: Buffer[] | undefined;
    if (kind === 'go') {
      const go = this.goFields(dataFields);
      Object.assign(fields, go.fields);
      data = go.data;
    }
    const head = formatLine(OUTCOME_VERB[kind], [this.barrier], {
      gen: this.gen,
      ...fields,
      ...dataFields,
    }).slice(0, -1);
    this.outcome = { kind, resolvedAt: now, head, data, ...extra };
    return this.outcome;
  }

  /** Send the outcome to every waiter, synchronously, one pass: no await on the release path (T2). */
  deliverAll(now: number): void {
    const data = this.outcome!.data;
    for (const arrival of this.arrivals.values()) {
      const waiter = arrival.waiter;
      if (waiter === undefined) continue;
      arrival.waiter = undefined;
      waiter.deliverOutcome(
        this.barrier,
        this.gen,
        data,
        this.lineFor(arrival.requestId, now - arrival.arrivedAt),
      );
    }
  }

  /** The outcome line as one member sees it, with its own wait time and id; the shared `data` goes before it. */
  lineFor(requestId: string | undefined, waitedMs: number): string {
    const tail = requestId === undefined ? '\n' : ' id=' + requestId + '\n';
    return this.outcome!.head + ' waited_ms=' + Math.max(0, Math.round(waitedMs)) + tail;
  }

  /** `spread_ms`: first to last arrival (O3). */
  get spreadMs(): number {
    if (this.firstArrivalAt === undefined || this.lastArrivalAt === undefined) return 0;
    return Math.round((this.lastArrivalAt - this.firstArrivalAt) * 1000) / 1000;
  }

  /** An arrival withdrew (B8): its data no longer counts, and its line is dropped with the next compaction. */
  withdraw(member: string): Arrival | undefined {
    const arrival = this.arrivals.get(member);
    if (arrival === undefined) return undefined;
    this.arrivals.delete(member);
    this.encodedDataBytes -= arrival.dataLength ?? 0;
    if (this.blocks && arrival.line) {
      this.blocks.withdrawn += arrival.line.end - arrival.line.start;
      // Withdrawn lines never outweigh the live ones for long: WAIT and CANCEL in a loop cannot grow memory.
      if (this.blocks.withdrawn > this.encodedDataBytes + INLINE_DATA_BYTES) this.compact();
    }
    return arrival;
  }

  private compact(): void {
    const lines = new DataLines();
    for (const arrival of this.arrivals.values()) if (arrival.line) arrival.line = lines.copy(arrival.line);
    this.blocks = lines;
  }

  // The arrival's DATA line, copied into the generation's lines; the buffer the data was read into goes.
  private encodeBlock(arrival: Arrival): void {
    if (arrival.data === undefined || this.blocks === undefined) return;
    const head =
      formatLine('DATA', [this.barrier], { gen: this.gen, member: arrival.member }).slice(0, -1) + ' ';
    arrival.line = this.blocks.add(head, arrival.data);
    arrival.data = undefined;
  }

  private goFields(dataFields: Record<string, FieldValue>): {
    fields: Record<string, FieldValue>;
    data: Buffer[] | undefined;
  } {
    const names = [...this.arrivals.keys()].join(',');
    const fields: Record<string, FieldValue> =
      names.length <= INLINE_MEMBERS_BYTES ? { members: names } : { members_count: this.arrivals.size };
    if (!this.blocks) {
      for (const arrival of this.arrivals.values())
        if (arrival.data !== undefined) dataFields['data.' + arrival.member] = arrival.data.toString('utf8');
      return { fields, data: undefined };
    }
    const lines: DataLine[] = [];
    for (const arrival of this.arrivals.values()) if (arrival.line) lines.push(arrival.line);
    fields.data_lines = lines.length;
    return { fields, data: viewsOf(lines) };
  }
}

export class Barrier {
  readonly name: string;
  readonly scope: string | undefined;
  /** The open generation, if any; at most one at a time. */
  current: Generation | undefined;
  lastGen = 0;
  /** Generations up to this one are never replayed to late arrivals (set when the scope is reset, F3). */
  replayFloor = 0;
  /** Retained generations by number, resolved ones until their TTL passes. */
  readonly generations = new Map<number, Generation>();
  /** The highest generation each member arrived at or was told the outcome of. */
  readonly seen = new Map<string, number>();
  /** Every member that ever arrived here: the candidates for `missing=` on a count-only barrier. */
  readonly known = new Set<string>();
  sweep: NodeJS.Timeout | undefined;

  constructor(name: string, scope: string | undefined) {
    this.name = name;
    this.scope = scope;
  }

  open(count: number, members: readonly string[] | undefined, now: number): Generation {
    const generation = new Generation(this.name, ++this.lastGen, count, members, now);
    this.current = generation;
    this.generations.set(generation.gen, generation);
    return generation;
  }

  markSeen(member: string, gen: number): void {
    if ((this.seen.get(member) ?? 0) < gen) this.seen.set(member, gen);
  }

  /** The generation to show in `STATUS`: the open one, else the latest retained. */
  get shown(): Generation | undefined {
    return this.current ?? this.generations.get(this.lastGen);
  }
}

function sameMembers(requested: readonly string[], fixed: readonly string[] | undefined): boolean {
  if (fixed === undefined || requested.length !== fixed.length) return false;
  const set = new Set(fixed);
  return requested.every((member) => set.has(member));
}
