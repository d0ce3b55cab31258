import { basename, dirname, extname, resolve } from 'node:path';
import { errorMessage, EXIT, exitCodeOf, isBatonError } from '../errors.ts';
import type { ExitCode } from '../errors.ts';
import type { RunStatus } from '../journal/events.ts';
import { Journal } from '../journal/journal.ts';
import { ResultsFolder } from '../report/results-folder.ts';
import { writeJobReports } from '../report/job-report.ts';
import type { JobSummary, VariantResult } from '../report/job-report.ts';
import { startJobSyncServer } from '../sync/job.ts';
import { createContext } from './context.ts';
import { HostBook } from './hosts-file.ts';
import { loadScenario } from './load.ts';
import type { ScenarioVariant } from './variant.ts';
import { defaultVariant } from './variant.ts';

export interface RunJobOptions {
  scenarios: string[];
  hosts?: HostBook;
  /** The variants to run each scenario over. @default one variant without params */
  variants?: () => Iterable<ScenarioVariant>;
  /** Where job folders are made. @default ./results */
  resultsBase?: string;
  cwd?: string;
  signal?: AbortSignal;
  /** Called once per finished variant (progress output). */
  onVariantEnd?: (result: VariantResult) => void;
  /** Called once the journal exists, before anything runs (live subscribers). */
  onJournal?: (journal: Journal, results: ResultsFolder) => void;
  command?: string;
}

/** Run every scenario once per variant, in one job with one journal, one sync server and one results folder. */
export async function runJob(options: RunJobOptions): Promise<JobSummary> {
  const cwd = options.cwd ?? process.cwd();
  const journal = new Journal();
  const results = new ResultsFolder(resolve(cwd, options.resultsBase ?? 'results'), journal);
  options.onJournal?.(journal, results);
  const signal = options.signal ?? new AbortController().signal;
  const started = performance.now();
  journal.emit({
    kind: 'job-start',
    jobId: journal.header.jobId,
    command: options.command ?? 'run',
    argv: options.scenarios,
  });
  const sync = await startJobSyncServer(journal);
  const variantResults: VariantResult[] = [];
  try {
    for (const [index, file] of options.scenarios.entries()) {
      const path = resolve(cwd, file);
      const scenario = basename(path, extname(path));
      const variants = options.variants ? options.variants() : [defaultVariant()];
      for (const variant of variants) {
        if (signal.aborted) break;
        const result = await runVariant({
          path,
          scenario,
          scenarioIndex: index + 1,
          variant,
          journal,
          results,
          sync,
          hosts: options.hosts ?? new HostBook(),
          signal,
        });
        variantResults.push(result);
        options.onVariantEnd?.(result);
      }
    }
  } finally {
    await sync.close();
  }
  const exitCode = jobExitCode(variantResults);
  const status = statusOf(exitCode);
  journal.emit({ kind: 'job-end', jobId: journal.header.jobId, status, exitCode });
  const summary: JobSummary = {
    jobId: journal.header.jobId,
    resultsDir: results.root,
    status,
    exitCode,
    durationMs: Math.round(performance.now() - started),
    variants: variantResults,
  };
  writeJobReports(results, summary);
  results.dispose();
  return summary;
}

interface VariantRun {
  path: string;
  scenario: string;
  scenarioIndex: number;
  variant: ScenarioVariant;
  journal: Journal;
  results: ResultsFolder;
  sync: Awaited<ReturnType<typeof startJobSyncServer>>;
  hosts: HostBook;
  signal: AbortSignal;
}

async function runVariant(run: VariantRun): Promise<VariantResult> {
  const { journal, variant } = run;
  const name = variant.id || 'default';
  const started = performance.now();
  journal.emit({
    kind: 'variant-start',
    scenario: run.scenario,
    scenarioIndex: run.scenarioIndex,
    variant: name,
    index: variant.index,
    total: variant.total,
    params: variant.values,
  });
  let failure: unknown;
  let close: () => Promise<unknown> = () => Promise.resolve(undefined);
  try {
    const scenario = await loadScenario(run.path);
    const created = await createContext({ ...run, cwd: dirname(run.path) });
    close = created.close;
    await scenario(created.context);
  } catch (error) {
    failure = error;
  }
  const taskFailure = await close();
  failure ??= taskFailure;
  const exitCode = failure === undefined ? EXIT.ok : exitCodeOf(failure);
  const status = statusOf(exitCode);
  const durationMs = Math.round(performance.now() - started);
  journal.emit({ kind: 'variant-end', variant: name, status, durationMs });
  if (failure !== undefined) {
    journal.emit({
      kind: 'log',
      level: 'error',
      message: errorMessage(failure),
      ...(isBatonError(failure) ? { code: failure.code } : {}),
    });
  }
  return {
    scenario: run.scenario,
    variant: name,
    status,
    exitCode,
    durationMs,
    ...(failure === undefined ? {} : { error: describeFailure(failure) }),
  };
}

function describeFailure(failure: unknown): { code: string; message: string } {
  if (isBatonError(failure)) return { code: failure.code, message: failure.located };
  return {
    code: 'INTERNAL',
    message: failure instanceof Error ? (failure.stack ?? failure.message) : String(failure),
  };
}

/** A run's status from its exit code: 1 is a failed scenario; bad input and a failed environment are errors. */
function statusOf(exitCode: ExitCode): RunStatus {
  return exitCode === EXIT.ok ? 'passed' : exitCode === EXIT.failed ? 'failed' : 'error';
}

/** Bad input dominates, then a failed environment, then a failed scenario. */
export function jobExitCode(results: readonly { exitCode: number }[]): ExitCode {
  const codes = new Set(results.map((result) => result.exitCode));
  for (const code of [EXIT.usage, EXIT.environment, EXIT.failed] as const) if (codes.has(code)) return code;
  return EXIT.ok;
}
