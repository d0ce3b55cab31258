import { appendFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { Controller } from '../controller/controller.ts';
import { BatonError, ERROR_CODES, EXIT, isErrorCode } from '../errors.ts';
import type { ExitCode } from '../errors.ts';
import type { FailureReport } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import { endJob, openJob, runStatusOf } from '../report/job-files.ts';
import type { JobReport } from '../report/job-report.ts';
import type { JobSummary, VariantResult } from '../report/job-report.ts';
import type { ResultsFolder } from '../report/results-folder.ts';
import type { ResultsMode } from '../report/results-mode.ts';
import { startJobSyncServer } from '../sync/job.ts';
import type { JobSyncServer } from '../sync/job.ts';
import { createContext } from './context.ts';
import { HostBook } from './hosts-file.ts';
import { loadScenario } from './load.ts';
import type { ScenarioFunction } from './load.ts';
import { isHostDown, scenarioError } from './scenario-error.ts';
import type { ScenarioVariant } from './variant.ts';
import { defaultVariant } from './variant.ts';

export interface RunJobOptions {
  scenarios: string[];
  hosts?: HostBook;
  /** The variants to run each scenario over. @default one variant without params */
  variants?: () => Iterable<ScenarioVariant>;
  /** Where job folders are made. @default ./results */
  resultsBase?: string;
  /** The modes of what the job writes. @default owner-only */
  resultsMode?: ResultsMode;
  cwd?: string;
  /** Interrupts the job: streams closed, the running variant ends interrupted, the rest not run, reports written. */
  signal?: AbortSignal;
  /** Called once per finished variant (progress output). */
  onVariantEnd?: (result: VariantResult) => void;
  /** Called once the journal exists, before anything runs (live subscribers). */
  onJournal?: (journal: Journal, results: ResultsFolder) => void;
  command?: string;
}

/**
 * Run every scenario once per variant, in one job: one journal, one results folder, one sync server and one
 * controller that owns every stream. Reports are written from the journal, also when the job is interrupted.
 */
export async function runJob(options: RunJobOptions): Promise<JobSummary> {
  const cwd = options.cwd ?? process.cwd();
  // Checked before any work: a missing or broken scenario is bad input (exit 2), with no results folder.
  const scenarios: ScenarioRef[] = [];
  for (const [index, file] of options.scenarios.entries()) {
    const path = resolve(cwd, file);
    const shown = shownPath(path, cwd);
    const run = await loadScenario(path, shown);
    scenarios.push({ path, shown, run, name: basename(path, extname(path)), index: index + 1 });
  }
  const job = openJob({
    resultsBase: options.resultsBase,
    ...(options.resultsMode ? { resultsMode: options.resultsMode } : {}),
    cwd,
    command: options.command ?? 'run',
    argv: options.scenarios,
    onJournal: options.onJournal,
    hosts: options.hosts,
  });
  const { journal, results, report } = job;
  const signal = options.signal ?? new AbortController().signal;
  let sync: JobSyncServer | undefined;
  let controller: Controller | undefined;
  let jobFailure: BatonError | undefined;
  const notify = (result: VariantResult | undefined) => {
    if (result) options.onVariantEnd?.(result);
  };
  try {
    sync = await startJobSyncServer(journal);
    controller = new Controller({
      journal,
      results,
      sync,
      hosts: options.hosts ?? new HostBook(),
      cwd,
      signal,
    });
    // A host that is down fails the job once: the variants after it are not run, with its cause.
    let hostDown: FailureReport | undefined;
    for (const scenario of scenarios) {
      for (const variant of options.variants ? options.variants() : [defaultVariant()]) {
        if (controller.interrupted || hostDown) {
          notify(notRun(journal, report, scenario, variant, hostDown));
          continue;
        }
        const result = await runVariant({
          scenario,
          variant,
          journal,
          results,
          sync,
          controller,
          signal,
          report,
        });
        notify(result);
        const cause = result?.error;
        if (cause && isHostDown(cause.code))
          hostDown = { code: cause.code, message: cause.message.split('\n')[0] ?? '' };
      }
    }
  } catch (error) {
    jobFailure =
      error instanceof BatonError
        ? error
        : new BatonError('INTERNAL', `the job failed: ${String(error)}`, {}, { cause: error });
    journal.emit({ kind: 'log', level: 'error', code: jobFailure.code, message: jobFailure.message });
  } finally {
    await controller?.dispose();
    await sync?.close();
  }
  const interrupted = controller?.interrupted === true || signal.aborted;
  return endJob(job, { interrupted, ...(jobFailure ? { failedWith: ERROR_CODES[jobFailure.code] } : {}) });
}

interface ScenarioRef {
  path: string;
  /** The path as errors show it: relative to the working folder when inside it. */
  shown: string;
  run: ScenarioFunction;
  name: string;
  index: number;
}

function shownPath(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

interface VariantRun {
  scenario: ScenarioRef;
  variant: ScenarioVariant;
  journal: Journal;
  results: ResultsFolder;
  sync: JobSyncServer;
  controller: Controller;
  signal: AbortSignal;
  report: JobReport;
}

async function runVariant(run: VariantRun): Promise<VariantResult | undefined> {
  const { journal, variant, controller, scenario } = run;
  const name = variant.id || 'default';
  const started = performance.now();
  journal.emit({
    kind: 'variant-start',
    scenario: scenario.name,
    scenarioIndex: scenario.index,
    variant: name,
    index: variant.index,
    total: variant.total,
    params: variant.values,
  });
  controller.bind(variant);
  controller.blockFolder = dirname(scenario.path);
  const firstFailure = controller.failureCount;
  let thrown: { error: unknown; seq: number } | undefined;
  try {
    const context = createContext({
      controller,
      journal,
      sync: await run.sync.console(),
      variantDir: run.results.currentVariantDir,
      signal: run.signal,
    });
    await untilInterrupted(Promise.resolve(scenario.run(context)), run.signal);
  } catch (error) {
    const failure = scenarioError(error, scenario.path, scenario.shown);
    if (failure.code === 'SCENARIO_ERROR') keepStack(run, failure);
    thrown = { error: failure, seq: journal.lastSeq };
  }
  // Failures counted up to here: the tasks cancelled by closing the variant's streams are not failures.
  const lastFailure = controller.failureCount;
  await controller.closeStreams();
  const interrupted = controller.interrupted;
  const failure =
    controller.failureReport(firstFailure, lastFailure, thrown) ?? writeFailureReport(run.results);
  const error = interrupted ? interruptedReport(failure) : failure;
  const exitCode: ExitCode = interrupted ? EXIT.interrupted : error ? exitCodeOfReport(error) : EXIT.ok;
  journal.emit({
    kind: 'variant-end',
    variant: name,
    scenario: scenario.name,
    scenarioIndex: scenario.index,
    status: interrupted ? 'interrupted' : runStatusOf(exitCode),
    exitCode,
    durationMs: Math.round(performance.now() - started),
    ...(error ? { error } : {}),
  });
  return run.report.result.variants.at(-1);
}

function notRun(
  journal: Journal,
  report: JobReport,
  scenario: ScenarioRef,
  variant: ScenarioVariant,
  cause: FailureReport | undefined,
) {
  journal.emit({
    kind: 'variant-end',
    variant: variant.id || 'default',
    scenario: scenario.name,
    scenarioIndex: scenario.index,
    status: 'not-run',
    exitCode: EXIT.ok,
    durationMs: 0,
    ...(cause ? { error: cause } : {}),
  });
  return report.result.variants.at(-1);
}

/** The stack of a scenario's own error: in the journal (job.log) and the job's debug.log, never on the console. */
function keepStack(run: VariantRun, failure: BatonError): void {
  const cause = failure.cause;
  const stack = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
  run.journal.emit({ kind: 'log', level: 'debug', code: failure.code, message: stack });
  try {
    appendFileSync(join(run.results.root, 'debug.log'), `${failure.located}\n${stack}\n`, { mode: 0o600 });
  } catch {
    return;
  }
}

// The scenario's own code cannot be stopped; an interrupted variant stops waiting for it.
function untilInterrupted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new BatonError('INTERRUPTED', 'interrupted'));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new BatonError('INTERRUPTED', 'interrupted'));
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

function interruptedReport(cause: FailureReport | undefined): FailureReport {
  const interrupted: FailureReport = {
    code: 'INTERRUPTED',
    message: 'interrupted (SIGINT, SIGTERM or SIGHUP): every stream was closed',
  };
  if (!cause || cause.code === 'INTERRUPTED') return interrupted;
  return {
    ...interrupted,
    consequences: [{ code: cause.code, message: cause.message }, ...(cause.consequences ?? [])],
  };
}

/** A variant whose tasks ran but whose records could not all be written is not a pass. */
function writeFailureReport(results: ResultsFolder): FailureReport | undefined {
  const failure = results.variantWriteFailure;
  return failure ? { code: failure.code, message: failure.message } : undefined;
}

function exitCodeOfReport(report: FailureReport): ExitCode {
  return isErrorCode(report.code) ? ERROR_CODES[report.code] : EXIT.failed;
}
