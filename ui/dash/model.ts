import { errorMessage } from '../../src/errors.ts';
import { initialState, reduce } from '../../src/controller/state.ts';
import type { JobState } from '../../src/controller/state.ts';
import type { JournalHeader } from '../../src/journal/events.ts';
import { formatEvent } from '../../src/report/format.ts';
import type { JournalChunk } from './journal-lines.ts';
import { BarrierSpans } from './timeline.ts';

/** Log lines the dashboard keeps (the journal file has them all). */
export const LOG_KEPT = 500;

/**
 * What the dashboard shows of a job, folded from its journal: the job's state through the one reducer
 * (`src/controller/state.ts`), plus what only a dashboard needs: barrier times, events per second, log lines.
 */
export class DashModel {
  readonly state: JobState = initialState();
  readonly barrierSpans = new BarrierSpans();
  header: JournalHeader | undefined;
  /** The job's clock at the last event, in ms. */
  now = 0;
  /** Events counted per second of the job's clock. */
  readonly eventsPerSecond: number[] = [];
  private readonly logLines: string[] = [];
  /** Lines logged since `takeLog()` last ran. */
  private logged: string[] = [];

  apply(chunk: JournalChunk): void {
    if (chunk.header) this.header = chunk.header;
    for (const line of chunk.lines) {
      if ('skipped' in line) {
        this.log(`warning: skipped ${line.skipped}`);
        continue;
      }
      const { event } = line;
      try {
        reduce(this.state, event);
        if (event.kind === 'barrier') this.barrierSpans.note(event, this.state);
      } catch (error) {
        // An event of a known kind whose fields are not what the reducer expects: shown, not fatal.
        this.log(`warning: skipped event ${event.seq} (${event.kind}): ${errorMessage(error)}`);
        continue;
      }
      this.now = Math.max(this.now, event.t);
      const second = Math.floor(event.t / 1000);
      while (this.eventsPerSecond.length <= second) this.eventsPerSecond.push(0);
      this.eventsPerSecond[second]++;
      this.log(formatEvent(event));
    }
  }

  /** Add a line to the log pane (the dashboard's own notices, besides the journal's events). */
  log(line: string): void {
    this.logLines.push(line);
    this.logged.push(line);
    if (this.logLines.length > LOG_KEPT * 2) this.logLines.splice(0, this.logLines.length - LOG_KEPT);
    if (this.logged.length > LOG_KEPT * 2) this.logged.splice(0, this.logged.length - LOG_KEPT);
  }

  /** The last `LOG_KEPT` log lines. */
  get logTail(): string[] {
    return this.logLines.slice(-LOG_KEPT);
  }

  /** The log lines added since the last call, for a log pane that appends. */
  takeLog(): string[] {
    const lines = this.logged.slice(-LOG_KEPT);
    this.logged = [];
    return lines;
  }
}
