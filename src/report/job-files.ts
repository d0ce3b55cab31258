import { resolve } from 'node:path';
import { BatonError, ERROR_CODES, EXIT, errorMessage } from '../errors.ts';
import type { ExitCode } from '../errors.ts';
import type { RunStatus } from '../journal/events.ts';
import { Journal } from '../journal/journal.ts';
import type { HostBook } from '../scenario/hosts-file.ts';
import { JobReport } from './job-report.ts';
import type { JobSummary } from './job-report.ts';
import { makeFolder } from './make-folder.ts';
import { ResultsFolder } from './results-folder.ts';
import { OWNER_ONLY, applyResultsMode } from './results-mode.ts';
import type { ResultsMode } from './results-mode.ts';

/** A job's journal, its results folder and the report written from them: what `baton run` and `replay` share. */
export interface JobFiles {
  journal: Journal;
  results: ResultsFolder;
  report: JobReport;
  mode: ResultsMode;
}

export interface OpenJobOptions {
  /** Where job folders are made, relative to `cwd`. @default results */
  resultsBase?: string;
  cwd: string;
  command: string;
  argv: string[];
  /** The modes of what the job writes, given at its end. @default owner-only */
  resultsMode?: ResultsMode;
  /** Called once the journal exists, before `job-start` (live subscribers). */
  onJournal?: (journal: Journal, results: ResultsFolder) => void;
  /** The job's hosts: their resolved list goes to `hosts.json` (owner-only) when hosts were given. */
  hosts?: HostBook;
}

/** Make a job's journal and results folder, and journal its `job-start`. */
export function openJob(options: OpenJobOptions): JobFiles {
  const mode = options.resultsMode ?? OWNER_ONLY;
  const base = resolve(options.cwd, options.resultsBase ?? 'results');
  const journal = new Journal();
  let results: ResultsFolder;
  try {
    makeFolder(base, mode.folder);
    results = new ResultsFolder(base, journal);
  } catch (error) {
    const file = (error as NodeJS.ErrnoException).path ?? base;
    throw new BatonError(
      'RESULTS_UNWRITABLE',
      `cannot make the results folder: ${errorMessage(error)}`,
      { file },
      { cause: error },
    );
  }
  const report = new JobReport(journal, results.root, (name, text) => results.writeFile(name, text));
  const hosts = options.hosts?.record();
  if (hosts) results.writeFile('hosts.json', JSON.stringify(hosts, null, 2) + '\n');
  options.onJournal?.(journal, results);
  journal.emit({
    kind: 'job-start',
    jobId: journal.header.jobId,
    command: options.command,
    argv: options.argv,
  });
  return { journal, results, report, mode };
}

/**
 * Journal `job-end`, write the reports and close the files; the job's summary. The exit code: 130 when
 * interrupted, else the job's own failure (`failedWith`), else a record that could not be written (the
 * environment's failure, never a pass), else what its variants give.
 */
export function endJob(job: JobFiles, end: { interrupted: boolean; failedWith?: ExitCode }): JobSummary {
  const { journal, results, report } = job;
  const writeFailure = results.writeFailure;
  const exitCode = end.interrupted
    ? EXIT.interrupted
    : (end.failedWith ??
      (writeFailure ? ERROR_CODES[writeFailure.code] : jobExitCode(report.result.variants)));
  journal.emit({ kind: 'job-end', jobId: journal.header.jobId, status: runStatusOf(exitCode), exitCode });
  report.dispose();
  results.dispose();
  const modeFailure = job.mode === OWNER_ONLY ? undefined : giveMode(results.root, job.mode);
  // The reports of job-end itself may be what could not be written: still not a pass.
  const lost = results.writeFailure ?? modeFailure;
  if (exitCode !== EXIT.ok || !lost) return report.result;
  return { ...report.result, status: 'error', exitCode: ERROR_CODES[lost.code] };
}

/** Bad input dominates, then a failed environment, then a failed scenario. */
export function jobExitCode(results: readonly { exitCode: number }[]): ExitCode {
  const codes = new Set(results.map((result) => result.exitCode));
  for (const code of [EXIT.usage, EXIT.environment, EXIT.failed] as const) if (codes.has(code)) return code;
  return EXIT.ok;
}

/** A run's status from its exit code: 1 is a failed scenario; bad input and a failed environment are errors. */
export function runStatusOf(exitCode: ExitCode): RunStatus {
  if (exitCode === EXIT.interrupted) return 'interrupted';
  return exitCode === EXIT.ok ? 'passed' : exitCode === EXIT.failed ? 'failed' : 'error';
}

function giveMode(root: string, mode: ResultsMode): BatonError | undefined {
  try {
    applyResultsMode(root, mode);
    return undefined;
  } catch (error) {
    return new BatonError(
      'RESULTS_UNWRITABLE',
      `cannot give the results their mode: ${errorMessage(error)}`,
      {
        file: root,
      },
    );
  }
}
