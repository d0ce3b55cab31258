import { writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { BatonError, EXIT } from '../../errors.ts';
import { githubAnnotations } from '../../report/annotations.ts';
import { failureSummary, lastLines } from '../../report/failure-text.ts';
import { summaryLine } from '../../report/job-report.ts';
import type { JobSummary, VariantResult } from '../../report/job-report.ts';
import { junitXml } from '../../report/junit.ts';
import { Progress, isLive } from '../../report/progress.ts';
import type { ResultsFolder } from '../../report/results-folder.ts';
import { OWNER_ONLY, parseResultsMode } from '../../report/results-mode.ts';
import type { ResultsMode } from '../../report/results-mode.ts';
import { TaskIndex } from '../../report/task-index.ts';
import { readHosts } from '../../hosts/read-hosts.ts';
import { HostBook } from '../../scenario/hosts-file.ts';
import { runJob } from '../../scenario/runner.ts';
import type { CliIO, Command } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';
import { errorLines } from '../errors-out.ts';
import { variantSource } from './run-variants.ts';

const USAGE = [
  'baton run SCENARIO... [--hosts FILE] [--variants FILE]... [--filter-only PATH]... [--filter-out PATH]...',
  '                 [--inject [PATH:]KEY:VALUE]... [--results DIR] [--results-mode MODE]',
  '                 [--junit PATH] [--json PATH]',
  '',
  '  SCENARIO            a TypeScript module exporting a scenario function (default export)',
  '  --hosts FILE        named hosts, one `NAME = SPEC [key=value]...` a line (local, pty, ssh://user@host:port),',
  '                      or an Ansible inventory (INI or YAML), or ansible://PATTERN (see README, Hosts)',
  '  --variants FILE     a YAML multiplex tree: the scenario runs once per selected variant',
  '  --filter-only PATH  keep only these branches of the tree (globs * and ** allowed)',
  '  --filter-out PATH   drop these branches',
  '  --inject P:K:V      set a value in the tree',
  '  --results DIR       where the job folder is made (default: results)',
  '  --results-mode MODE owner-only (default), group-readable, world-readable, or an octal file mode',
  '                      like 640: what the job writes, for CI artifact uploaders running as another user',
  '  --junit PATH        also write the JUnit XML report to PATH',
  '  --json PATH         also write the JSON report (results.json and the failed tasks) to PATH',
  '',
  'Progress: a live status line on a terminal; one line per finished variant under CI=true or off a',
  'terminal. GITHUB_ACTIONS=true adds an ::error annotation per variant that did not pass.',
  '',
  'Exit codes: 0 every variant passed, 1 a scenario failed, 2 bad input, 3 the environment failed,',
  '130 interrupted (SIGINT, SIGTERM or SIGHUP: streams closed, reports written; a second SIGINT exits at once).',
].join('\n');

/** Lines of a failed task's stdout and stderr shown in the summary and the reports. */
const TAIL_LINES = 10;

export const runCommand: Command = {
  name: 'run',
  summary: 'Run TypeScript scenarios once per selected variant',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions('run', args, {
      hosts: { type: 'string' },
      variants: { type: 'string', multiple: true },
      'filter-only': { type: 'string', multiple: true },
      'filter-out': { type: 'string', multiple: true },
      inject: { type: 'string', multiple: true },
      results: { type: 'string' },
      'results-mode': { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
    });
    if (positionals.length === 0) throw usageError('give at least one scenario file', 'run');
    for (const file of positionals) {
      if (file.endsWith('.baton'))
        throw new BatonError(
          'NOT_IMPLEMENTED',
          `session scripts run with 'baton replay' once it is built: ${file}`,
          { file },
        );
    }
    const mode = values['results-mode'] ? parseResultsMode(values['results-mode']) : OWNER_ONLY;
    const hosts = values.hosts ? readHosts(values.hosts, { cwd: io.cwd, env: io.env }) : new HostBook();
    const variants = variantSource(
      {
        files: values.variants ?? [],
        filterOnly: values['filter-only'] ?? [],
        filterOut: values['filter-out'] ?? [],
        inject: values.inject ?? [],
      },
      io.cwd,
    );
    let results: ResultsFolder | undefined;
    let tasks: TaskIndex | undefined;
    let progress: Progress | undefined;
    const summary = await runJob({
      scenarios: positionals,
      hosts,
      ...(variants ? { variants } : {}),
      ...(values.results ? { resultsBase: values.results } : {}),
      resultsMode: mode,
      cwd: io.cwd,
      ...(io.signal ? { signal: io.signal } : {}),
      onJournal: (journal, folder) => {
        results = folder;
        tasks = new TaskIndex(journal, folder.root, (stream, index, block) =>
          folder.taskDir(stream, index, block),
        );
        progress = new Progress(journal, {
          out: io.stdout,
          live: isLive(io.stdout, io.env),
          scenarios: positionals.length,
        });
      },
      command: 'run',
    });
    progress?.dispose();
    tasks?.dispose();
    const task = (id: string) => tasks?.get(id);
    for (const line of failureSummary(summary, { task, lines: TAIL_LINES })) writeLine(io.stdout, line);
    const lost = results?.writeFailure;
    if (lost) for (const line of errorLines(lost)) writeLine(io.stderr, line);
    const written = writeReports(values, summary, task, mode, io);
    if (io.env.GITHUB_ACTIONS === 'true') {
      const files = new Map(positionals.map((file) => [basename(file, extname(file)), file]));
      for (const line of githubAnnotations(summary.variants, (name) => files.get(name)))
        writeLine(io.stdout, line);
    }
    writeLine(io.stdout, `results: ${summary.resultsDir}`);
    writeLine(io.stdout, summaryLine(summary));
    return written ?? summary.exitCode;
  },
};

type TaskLookup = (id: string) => { dir?: string } | undefined;

/** --junit and --json: written after the job, with the results' mode; an exit code when one cannot be. */
function writeReports(
  values: { junit?: string; json?: string },
  summary: JobSummary,
  task: TaskLookup,
  mode: ResultsMode,
  io: CliIO,
): number | undefined {
  const output = (variant: VariantResult) => taskOutput(summary, variant, task);
  const reports: [string | undefined, () => string][] = [
    [values.junit, () => junitXml(summary, output)],
    [values.json, () => jsonReport(summary, output)],
  ];
  let failed: number | undefined;
  for (const [path, text] of reports) {
    if (path === undefined) continue;
    const file = resolve(io.cwd, path);
    try {
      writeFileSync(file, text(), { mode: mode.file });
    } catch (error) {
      const failure = new BatonError(
        'RESULTS_UNWRITABLE',
        `cannot write the report: ${(error as Error).message}`,
        { file: path },
        { cause: error },
      );
      for (const line of errorLines(failure)) writeLine(io.stderr, line);
      failed = summary.exitCode === EXIT.ok ? EXIT.environment : summary.exitCode;
    }
  }
  return failed;
}

function taskOutput(summary: JobSummary, variant: VariantResult, task: TaskLookup) {
  const dir = variant.error?.task === undefined ? undefined : task(variant.error.task)?.dir;
  if (dir === undefined) return { stderr: (variant.error?.tail ?? []).join('\n') };
  const read = (name: string) => lastLines(join(summary.resultsDir, dir, name), TAIL_LINES * 10).join('\n');
  return { stdout: read('stdout'), stderr: read('stderr'), folder: join(summary.resultsDir, dir) };
}

function jsonReport(
  summary: JobSummary,
  output: (variant: VariantResult) => ReturnType<typeof taskOutput>,
): string {
  const variants = summary.variants.map((variant) =>
    variant.error && variant.status !== 'not-run' ? { ...variant, output: output(variant) } : variant,
  );
  return JSON.stringify({ ...summary, variants }, null, 2) + '\n';
}
