import type { EventOf, FailureReport, JournalEvent, RunStatus } from '../journal/events.ts';
import { hostname } from 'node:os';
import type { Disposable, Journal } from '../journal/journal.ts';
import { junitXml } from './junit.ts';

export interface VariantResult {
  scenario: string;
  variant: string;
  status: RunStatus;
  exitCode: number;
  durationMs: number;
  error?: FailureReport;
  /** The variant's params (from its variant-start). */
  params?: Record<string, unknown>;
}

export interface JobSummary {
  jobId: string;
  resultsDir: string;
  /** When the job started (ISO 8601), and on which machine. */
  startedAt?: string;
  hostname?: string;
  status: RunStatus;
  exitCode: number;
  durationMs: number;
  variants: VariantResult[];
}

/**
 * results.json and junit.xml, built from the journal alone: a subscriber that collects `variant-end` events and
 * writes both files at `job-end`. `summarizeJournal` builds the same summary from a recorded journal.
 */
export class JobReport implements Disposable {
  private readonly summary: JobSummary;
  private readonly subscription: Disposable;
  private readonly write: (name: string, text: string) => void;
  private startedT = 0;

  constructor(journal: Journal, resultsDir: string, write: (name: string, text: string) => void) {
    this.write = write;
    this.summary = { ...emptySummary(journal.header.jobId, resultsDir), startedAt: journal.header.startedAt };
    this.subscription = journal.subscribe((event) => this.record(event));
  }

  get result(): JobSummary {
    return this.summary;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private record(event: JournalEvent): void {
    if (event.kind === 'job-start') this.startedT = event.t;
    foldSummary(this.summary, event, this.startedT);
    if (event.kind === 'job-end') writeJobReports(this.write, this.summary);
  }
}

/** The summary a recorded journal gives (reports after the fact). */
export function summarizeJournal(
  events: readonly JournalEvent[],
  jobId: string,
  resultsDir: string,
): JobSummary {
  const summary = emptySummary(jobId, resultsDir);
  const started = events.find((event) => event.kind === 'job-start')?.t ?? 0;
  for (const event of events) foldSummary(summary, event, started);
  return summary;
}

function emptySummary(jobId: string, resultsDir: string): JobSummary {
  return {
    jobId,
    resultsDir,
    hostname: hostname(),
    status: 'passed',
    exitCode: 0,
    durationMs: 0,
    variants: [],
  };
}

/** The params of the variant that started last, for its variant-end. */
const startedParams = new WeakMap<JobSummary, Record<string, unknown>>();

function foldSummary(summary: JobSummary, event: JournalEvent, startedT: number): void {
  if (event.kind === 'variant-start') startedParams.set(summary, event.params ?? {});
  else if (event.kind === 'variant-end') {
    const params = event.status === 'not-run' ? undefined : startedParams.get(summary);
    summary.variants.push({ ...variantResult(event), ...(params ? { params } : {}) });
  } else if (event.kind === 'job-end') {
    summary.status = event.status;
    summary.exitCode = event.exitCode;
    summary.durationMs = Math.round(event.t - startedT);
  }
}

function variantResult(event: EventOf<'variant-end'>): VariantResult {
  return {
    scenario: event.scenario ?? '',
    variant: event.variant,
    status: event.status,
    exitCode: event.exitCode ?? EXIT_OF[event.status],
    durationMs: event.durationMs,
    ...(event.error ? { error: event.error } : {}),
  };
}

const EXIT_OF: Record<RunStatus, number> = { passed: 0, failed: 1, error: 3, interrupted: 130, 'not-run': 0 };

/** results.json and junit.xml of a finished job. */
export function writeJobReports(write: (name: string, text: string) => void, summary: JobSummary): void {
  write('results.json', JSON.stringify(summary, null, 2) + '\n');
  write('junit.xml', junitXml(summary));
}

/** The plain summary line CI reads: `N passed, N failed` (errors and interruptions count as failed), then not run. */
export function summaryLine(summary: JobSummary): string {
  const count = (status: RunStatus) => summary.variants.filter((variant) => variant.status === status).length;
  const passed = count('passed');
  const notRun = count('not-run');
  const failed = summary.variants.length - passed - notRun;
  return `${passed} passed, ${failed} failed${notRun > 0 ? `, ${notRun} not run` : ''}`;
}
