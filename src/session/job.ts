import { basename } from 'node:path';
import { Controller } from '../controller/controller.ts';
import { EXIT, errorMessage, exitCodeOf, isBatonError } from '../errors.ts';
import type { ExitCode } from '../errors.ts';
import { endJob, openJob } from '../report/job-files.ts';
import type { JobSummary, VariantResult } from '../report/job-report.ts';
import { HostBook } from '../scenario/hosts-file.ts';
import { startJobSyncServer } from '../sync/job.ts';
import type { JobSyncServer } from '../sync/job.ts';
import { writeCasts } from './cast.ts';
import { replayScript } from './replay.ts';
import type { ReplayHooks, StepGate, UnitOutcome } from './replay.ts';
import type { Script } from './script.ts';
import { secretParamValues } from '../journal/redact.ts';
import { secretEnv } from './variables.ts';
import type { VariantBook } from './variants.ts';

export interface ReplayJobOptions {
  script: Script;
  variants: VariantBook;
  hosts?: HostBook;
  env: Record<string, string | undefined>;
  /** Where the job folder is made. @default ./results */
  resultsBase?: string;
  cwd: string;
  displayName: (path: string) => string;
  /** Interrupts the replay: the current step stops, `finally` runs, the job ends with exit 130. */
  signal?: AbortSignal;
  /** A second interrupt: the job is ended at once (results.json and junit.xml written) and `onStoppedNow` told. */
  stopNow?: AbortSignal;
  onStoppedNow?: (summary: JobSummary) => void;
  /** Progress: each finished step and unit. */
  hooks?: ReplayHooks;
  /** `--step` and `--until`: asked before each step. */
  gate?: StepGate;
  onUnitResult?: (result: VariantResult, outcome: UnitOutcome) => void;
}

/**
 * Replay one script as a job of its own: journal, results folder, sync server and controller, one
 * variant-start/variant-end pair per unit (named by the variant id), results.json and junit.xml at the end.
 */
export async function replayJob(options: ReplayJobOptions): Promise<JobSummary> {
  const { script } = options;
  const job = openJob({
    resultsBase: options.resultsBase,
    cwd: options.cwd,
    command: 'replay',
    argv: [script.file],
    hosts: options.hosts,
  });
  const { journal, results, report } = job;
  // S2: the script's secrets and the values of secret-named params never reach a file.
  journal.redact(script.secrets.flatMap((secret) => options.env[secret] ?? []));
  try {
    journal.redact(options.variants.matching([]).flatMap((variant) => secretParamValues(variant.values)));
  } catch {
    // A tree that cannot be read fails where the replay selects from it, with its own code.
  }
  const name = basename(script.file).replace(/\.baton$/, '');
  let sync: JobSyncServer | undefined;
  let controller: Controller | undefined;
  let failedWith: ExitCode | undefined;
  let stoppedNow: JobSummary | undefined;
  // Synchronous, for the process exits right after: the units ended so far are the job's results.
  const stopNow = () => {
    stoppedNow = endJob(job, { interrupted: true });
    options.onStoppedNow?.(stoppedNow);
  };
  options.stopNow?.addEventListener('abort', stopNow, { once: true });
  const started = new Map<string, number>();
  try {
    sync = await startJobSyncServer(journal);
    controller = new Controller({
      journal,
      results,
      sync,
      hosts: options.hosts ?? new HostBook(),
      cwd: options.cwd,
      baseEnv: secretEnv(script.secrets, options.env),
      variants: (selector) => options.variants.find(selector),
    });
    const hooks: ReplayHooks = {
      ...options.hooks,
      unitStart(unit, variant) {
        started.set(unit, performance.now());
        journal.emit({
          kind: 'variant-start',
          scenario: name,
          scenarioIndex: 1,
          variant: unit,
          index: variant?.index ?? 1,
          total: variant?.total ?? 1,
          params: variant?.values ?? {},
        });
        options.hooks?.unitStart?.(unit, variant);
      },
      unitEnd(outcome) {
        const status = outcome.interrupted ? 'interrupted' : outcome.error ? 'failed' : 'passed';
        journal.emit({
          kind: 'variant-end',
          variant: outcome.name,
          scenario: name,
          scenarioIndex: 1,
          status,
          exitCode: outcome.interrupted ? EXIT.interrupted : outcome.error ? EXIT.failed : EXIT.ok,
          durationMs: Math.round(performance.now() - (started.get(outcome.name) ?? performance.now())),
          ...(outcome.error ? { error: outcome.error } : {}),
        });
        options.hooks?.unitEnd?.(outcome);
        const result = report.result.variants.at(-1);
        if (result) options.onUnitResult?.(result, outcome);
      },
    };
    await replayScript({
      controller,
      script,
      env: options.env,
      variantsFor: (filter) => options.variants.matching(filter),
      displayName: options.displayName,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.gate ? { gate: options.gate } : {}),
      hooks,
    });
  } catch (error) {
    journal.emit({
      kind: 'log',
      level: 'error',
      ...(isBatonError(error) ? { code: error.code } : {}),
      message: `the replay failed: ${errorMessage(error)}`,
    });
    failedWith = exitCodeOf(error);
  } finally {
    options.stopNow?.removeEventListener('abort', stopNow);
    await controller?.dispose();
    await sync?.close();
  }
  if (stoppedNow) return stoppedNow;
  const summary = endJob(job, {
    interrupted: options.signal?.aborted === true,
    ...(failedWith === undefined ? {} : { failedWith }),
  });
  // P4: the transcripts of the job's streams, from its journal now on disk.
  try {
    writeCasts(summary.resultsDir, options.env);
  } catch {
    // A journal that cannot be read back leaves no casts; the job's results stand.
  }
  return summary;
}
