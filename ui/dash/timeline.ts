import type { BarrierOutcome, JobState } from '../../src/controller/state.ts';
import type { EventOf } from '../../src/journal/events.ts';
import type { Bar } from '../charts/bars.ts';
import { fit, formatDuration } from '../charts/format.ts';

/** One generation of a barrier on the job's clock: when its first event came, when it was decided. */
export interface BarrierSpan {
  barrier: string;
  gen: number;
  startT: number;
  endT?: number;
  state: BarrierOutcome;
  arrived: number;
  count?: number;
}

const DECIDED: ReadonlySet<BarrierOutcome> = new Set(['go', 'aborted', 'timeout', 'lost']);

/**
 * The barrier generations of a job in the order they opened. The barrier's state is the reducer's (read after
 * the event was applied); this only adds the times.
 */
export class BarrierSpans {
  readonly spans: BarrierSpan[] = [];
  private readonly byKey = new Map<string, BarrierSpan>();

  /** Note a barrier event that `reduce` has just applied to `state`. */
  note(event: EventOf<'barrier'>, state: JobState): void {
    const view = state.barriers[event.barrier];
    if (!view || view.gen !== event.gen) return;
    const key = `${event.barrier}\u0000${event.gen}`;
    let span = this.byKey.get(key);
    if (!span) {
      span = { barrier: event.barrier, gen: event.gen, startT: event.t, state: view.state, arrived: 0 };
      this.byKey.set(key, span);
      this.spans.push(span);
    }
    span.state = view.state;
    span.arrived = view.arrived.length;
    if (view.count !== undefined) span.count = view.count;
    if (DECIDED.has(view.state)) span.endT ??= event.t;
  }
}

export interface TimelineOptions {
  width: number;
  height: number;
  /** The job's clock now (ms): where undecided spans end and the axis stops. */
  now: number;
}

/**
 * One row a barrier generation, newest last (`ready#1 ···███··· go 3/3 1.2s`): its bar spans the time from its
 * first event to its outcome, on an axis from the job's start to `now`. Rows are exactly `width` characters.
 */
export function timelineRows(spans: readonly BarrierSpan[], options: TimelineOptions): string[] {
  const { width, height } = options;
  if (width <= 0 || height <= 0) return [];
  const shown = spans.slice(-height);
  const end = Math.max(options.now, ...shown.map((span) => span.endT ?? 0), 1);
  const labels = shown.map((span) => `${span.barrier}#${span.gen}`);
  const outcomes = shown.map((span) => {
    const members = `${span.arrived}/${span.count ?? '?'}`;
    return `${span.state} ${members} ${formatDuration((span.endT ?? end) - span.startT)}`;
  });
  const labelWidth = Math.min(Math.max(0, ...labels.map((label) => label.length)), Math.floor(width / 4));
  const outcomeWidth = Math.max(0, ...outcomes.map((outcome) => outcome.length));
  const trackWidth = Math.max(1, width - labelWidth - outcomeWidth - 2);
  const column = (t: number) => Math.min(trackWidth - 1, Math.floor((t / end) * trackWidth));
  return shown.map((span, index) => {
    const from = column(span.startT);
    const to = Math.max(from, column(span.endT ?? end));
    const track = '·'.repeat(from) + '█'.repeat(to - from + 1) + '·'.repeat(trackWidth - to - 1);
    const row = `${fit(labels[index], labelWidth).padEnd(labelWidth)} ${track} ${outcomes[index].padEnd(outcomeWidth)}`;
    return fit(row, width).padEnd(width);
  });
}

/** How long each barrier generation waited, from its first event to its outcome (or to `now`), as bars. */
export function barrierWaitBars(spans: readonly BarrierSpan[], now: number): Bar[] {
  return spans.map((span) => ({
    label: `${span.barrier}#${span.gen}`,
    value: (span.endT ?? now) - span.startT,
  }));
}
