import type { Writable } from 'node:stream';
import type { EventOf, JournalEvent, RunStatus } from '../journal/events.ts';
import type { Disposable, Journal } from '../journal/journal.ts';

export interface ProgressOptions {
  out: Writable & { columns?: number };
  /** Redraw one status line in place (a terminal), else one plain line per finished variant (CI, a pipe). */
  live: boolean;
  /** Scenarios in the job: the total of variants is theirs times each one's variants. @default 1 */
  scenarios?: number;
  /** Milliseconds between redraws of the live line (elapsed time). @default 1000 */
  redrawMs?: number;
}

const MARK: Record<RunStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
  'not-run': 'NOT RUN',
};

/** Live on a terminal unless CI says otherwise (`CI=true`, any value but `false` or `0`). */
export function isLive(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci;
}

/** The line of a finished variant: `FAIL scenario variant (12 ms): CODE: first line of the cause`. */
export function variantLine(event: EventOf<'variant-end'>): string {
  const head = `${MARK[event.status]} ${event.scenario ?? ''} ${event.variant}`;
  const cause = event.error ? `: ${event.error.code}: ${event.error.message.split('\n')[0] ?? ''}` : '';
  if (event.status === 'not-run') return `${head}${event.error ? `: ${event.error.message}` : ''}`;
  return `${head} (${Math.round(event.durationMs)} ms)${cause}`;
}

/**
 * Progress of a job from its journal, for any command that runs variants: a line per finished variant and per
 * connection retry; on a terminal, also a status line redrawn in place (done/total, the current variant, its
 * running tasks, elapsed time).
 */
export class Progress implements Disposable {
  private readonly options: ProgressOptions;
  private readonly subscription: Disposable;
  private readonly running = new Map<string, string>();
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout | undefined;
  private done = 0;
  private total = 0;
  private current = '';
  private drawn = false;

  constructor(journal: Journal, options: ProgressOptions) {
    this.options = options;
    this.subscription = journal.subscribe((event) => this.record(event));
    if (options.live) {
      this.timer = setInterval(() => this.draw(), options.redrawMs ?? 1000);
      this.timer.unref();
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscription.dispose();
    this.clear();
  }

  /** The status line as it is drawn now. */
  statusLine(): string {
    const tasks = [...this.running.entries()].map(([task, block]) => `${task} ${block}`).join(', ');
    const elapsed = `${Math.floor((performance.now() - this.started) / 1000)}s`;
    const parts = [`[${this.done}/${this.total}]`, this.current, tasks ? `running ${tasks}` : '', elapsed];
    const line = parts.filter(Boolean).join(' · ');
    const width = Math.max(20, (this.options.out.columns ?? 80) - 1);
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  }

  private record(event: JournalEvent): void {
    switch (event.kind) {
      case 'variant-start':
        this.total = Math.max(this.total, event.total * (this.options.scenarios ?? 1));
        this.current = `${event.scenario} ${event.variant}`;
        this.running.clear();
        return this.draw();
      case 'task-start':
        this.running.set(event.task, event.block);
        return this.draw();
      case 'task-end':
        this.running.delete(event.task);
        return this.draw();
      case 'connecting':
        if (event.attempt > 1)
          this.print(`connecting to ${event.host} (attempt ${event.attempt} of ${event.attempts})`);
        return;
      case 'variant-end':
        this.done++;
        this.running.clear();
        return this.print(variantLine(event));
      default:
        return;
    }
  }

  /** A line that stays: above the status line on a terminal. */
  private print(line: string): void {
    this.clear();
    this.options.out.write(line + '\n');
    this.draw();
  }

  private draw(): void {
    if (!this.options.live) return;
    this.options.out.write(`\r\x1b[2K${this.statusLine()}`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    this.options.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
