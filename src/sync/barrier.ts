/**
 * A barrier and its generations (B3): who arrived, when, with what data, and the one outcome of each
 * generation (B5), kept after release so that late or re-sent waits get it replayed (B4).
 * The outcome line is built once per generation; each waiter only adds its `waited_ms` and `id` (T2).
 */
import { formatLine } from './codec.ts';
import type { FieldValue } from './codec.ts';
import type { OutcomeKind } from './protocol.ts';
import { OUTCOME_VERB } from './protocol.ts';

/** Whoever receives the lines that end a wait: a session, attached to a connection or holding them for a resume. */
export interface Waiter {
  readonly member: string;
  /** Deliver the line(s) that end this member's wait on `barrier`; called synchronously during a release. */
  deliverOutcome(barrier: string, gen: number, text: string): void;
}

export interface Arrival {
  member: string;
  waiter: Waiter | undefined;
  requestId: string | undefined;
  /** Server monotonic milliseconds. */
  arrivedAt: number;
  /** Percent-encoded, never decoded by the server (B7). */
  data: string | undefined;
}

export interface Outcome {
  kind: OutcomeKind;
  resolvedAt: number;
  /** The outcome line without `waited_ms`, `id` and the newline. */
  head: string;
  /** `DATA` lines sent before a `GO` whose data is too large to go inline, without their `id`. */
  dataLines: string[];
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
    this.firstArrivalAt ??= arrival.arrivedAt;
    this.lastArrivalAt = arrival.arrivedAt;
  }

  /** Why `member` may not join with this `count` and `members=`, if it may not (B1, B6). */
  refusal(member: string, count: number | undefined, members: readonly string[] | undefined) {
    if (count !== undefined && count !== this.count)
      return { reason: 'count-mismatch', fields: { expected: this.count } };
    if (members && !sameMembers(members, this.members)) {
      return { reason: 'members-mismatch', fields: { expected: this.members?.join(',') ?? '-' } };
    }
    if (this.members && !this.members.includes(member)) return { reason: 'not-a-member', fields: {} };
    return undefined;
  }

  /** Members of a fixed list that have not arrived; for a count-only barrier, the `candidates` that have not. */
  missing(candidates: Iterable<string> = []): string[] {
    const pool = this.members ?? candidates;
    const missing: string[] = [];
    for (const member of pool)
      if (!this.arrivals.has(member) && !missing.includes(member)) missing.push(member);
    return missing;
  }

  /** Record the outcome and build its shared line; delivery is the caller's (`deliverAll`). */
  resolve(
    kind: OutcomeKind,
    now: number,
    fields: Record<string, FieldValue>,
    extra: Partial<Outcome> = {},
  ): Outcome {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
    const dataLines: string[] = [];
    const dataFields: Record<string, FieldValue> = {};
    if (kind === 'go') Object.assign(fields, this.goFields(dataFields, dataLines));
    const head = formatLine(OUTCOME_VERB[kind], [this.barrier], {
      gen: this.gen,
      ...fields,
      ...dataFields,
    }).slice(0, -1);
    this.outcome = { kind, resolvedAt: now, head, dataLines, ...extra };
    return this.outcome;
  }

  /** Send the outcome to every waiter, synchronously, one write each: no await on the release path (T2). */
  deliverAll(now: number): void {
    for (const arrival of this.arrivals.values()) {
      const waiter = arrival.waiter;
      if (waiter === undefined) continue;
      arrival.waiter = undefined;
      waiter.deliverOutcome(this.barrier, this.gen, this.lineFor(arrival.requestId, now - arrival.arrivedAt));
    }
  }

  /** The outcome as one member sees it: any `DATA` lines, then the outcome line with its own wait time and id. */
  lineFor(requestId: string | undefined, waitedMs: number): string {
    const outcome = this.outcome!;
    const tail = requestId === undefined ? '\n' : ' id=' + requestId + '\n';
    let text = '';
    for (const data of outcome.dataLines) text += data + tail;
    return text + outcome.head + ' waited_ms=' + Math.max(0, Math.round(waitedMs)) + tail;
  }

  /** `spread_ms`: first to last arrival (O3). */
  get spreadMs(): number {
    if (this.firstArrivalAt === undefined || this.lastArrivalAt === undefined) return 0;
    return Math.round((this.lastArrivalAt - this.firstArrivalAt) * 1000) / 1000;
  }

  private goFields(dataFields: Record<string, FieldValue>, dataLines: string[]): Record<string, FieldValue> {
    const names = [...this.arrivals.keys()].join(',');
    const fields: Record<string, FieldValue> =
      names.length <= INLINE_MEMBERS_BYTES ? { members: names } : { members_count: this.arrivals.size };
    let total = 0;
    for (const arrival of this.arrivals.values()) total += arrival.data?.length ?? 0;
    for (const arrival of this.arrivals.values()) {
      if (arrival.data === undefined) continue;
      if (total <= INLINE_DATA_BYTES) dataFields['data.' + arrival.member] = arrival.data;
      else
        dataLines.push(
          formatLine('DATA', [this.barrier], { gen: this.gen, member: arrival.member }).slice(0, -1) +
            ' ' +
            arrival.data,
        );
    }
    if (dataLines.length > 0) fields.data_lines = dataLines.length;
    return fields;
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
