import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { EXIT, errorMessage, isBatonError } from '../../errors.ts';
import type { ExitCode } from '../../errors.ts';
import { junitXml } from '../../report/junit.ts';
import { summaryLine } from '../../report/job-report.ts';
import type { JobSummary } from '../../report/job-report.ts';
import { readHosts } from '../../hosts/read-hosts.ts';
import { HostBook } from '../../scenario/hosts-file.ts';
import { jobExitCode } from '../../report/job-files.ts';
import { formatDiagnostic } from '../../session/diagnostics.ts';
import type { Diagnostic } from '../../session/diagnostics.ts';
import { replayJob } from '../../session/job.ts';
import { parseScript } from '../../session/parse.ts';
import type { Script } from '../../session/script.ts';
import { variantBook } from '../../session/variants.ts';
import type { Command } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';
import { checkHosts } from '../../session/check-hosts.ts';
import { replayGate, untilPoint } from '../../session/gate.ts';
import { replayControl, terminalAsk } from './replay-control.ts';
import { replayPrinter } from './replay-output.ts';

const USAGE = [
  'baton replay SCRIPT... [--headless] [--hosts FILE] [--junit FILE] [--json FILE] [--check] [--strict]',
  '                 [--step] [--until LINE|FILE:LINE|@stepN] [--repeat N] [--until-fail]',
  '                 [--variants FILE]... [--filter-only PATH]... [--filter-out PATH]... [--results DIR]',
  '',
  '  SCRIPT              a session script (`# baton session 1`), recorded with `baton repl --record`',
  '  --headless          no terminal needed (the default off a terminal and under CI=true); on a terminal one',
  '                      script is otherwise replayed in the console: n step, c continue, p pause; at a failed',
  '                      step r redo, e edit, s skip; t take over and type on by hand; w save (? lists the keys)',
  '  --hosts FILE        named hosts, one `NAME = SPEC` a line, or an Ansible inventory, or ansible://PATTERN',
  '  --junit FILE        JUnit XML of every script: one test case per unit (per variant of a `for variant` loop)',
  '  --json FILE         the results of every script as JSON',
  '  --check             validate the scripts without running them: syntax, streams, variants, files, and',
  '                      that each host resolves and answers (connected to, no block run; exit 3 if not)',
  '  --strict            warnings are errors',
  '  --step              on a terminal: pause before each step (in the console: n runs it, c runs to the end)',
  '  --until POINT       stop before the step at LINE (of the script), FILE:LINE or @stepN; on a terminal,',
  '                      pause there and step on; `finally` runs either way',
  '  --repeat N          replay every script N times, each time a job of its own',
  '  --until-fail        replay again until a replay fails (at most --repeat N times) and name that iteration',
  "  --variants FILE     a variant tree for `for variant` and `variant` (besides the script's own `variants`)",
  '  --filter-only PATH  keep only these branches of the tree; --filter-out PATH drops them',
  "  --results DIR       where each script's job folder is made (default: results)",
  '',
  'Exit codes: 0 every script passed, 1 a step failed, 2 a bad script or usage (nothing run),',
  '3 the environment failed, 130 interrupted (`finally` ran, results and JUnit written). In the console the',
  'same: a failed step redone or edited until it passed does not count, one skipped does.',
].join('\n');

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Replay session scripts, headless or stepped',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions('replay', args, {
      headless: { type: 'boolean' },
      hosts: { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
      check: { type: 'boolean' },
      strict: { type: 'boolean' },
      variants: { type: 'string', multiple: true },
      'filter-only': { type: 'string', multiple: true },
      'filter-out': { type: 'string', multiple: true },
      results: { type: 'string' },
      step: { type: 'boolean' },
      until: { type: 'string' },
      repeat: { type: 'string' },
      'until-fail': { type: 'boolean' },
    });
    if (positionals.length === 0) throw usageError('give at least one session script', 'replay');
    const control = replayControl(values, io);
    const displayName = (path: string) => relative(io.cwd, path) || path;
    const github = io.env.GITHUB_ACTIONS === 'true';
    const scripts: Script[] = [];
    const problems: Diagnostic[] = [];
    for (const file of positionals) {
      const parsed = parseScript(resolve(io.cwd, file), { read: readText, env: io.env, displayName });
      problems.push(...parsed.errors, ...(values.strict ? parsed.warnings : []));
      for (const warning of values.strict ? [] : parsed.warnings)
        writeLine(io.stderr, `warning: ${formatDiagnostic(warning)}`);
      scripts.push(parsed.script);
    }
    const books = scripts.map((script) =>
      variantBook({
        files: [...script.variantFiles, ...(values.variants ?? []).map((path) => resolve(io.cwd, path))],
        filterOnly: values['filter-only'] ?? [],
        filterOut: values['filter-out'] ?? [],
        cwd: io.cwd,
      }),
    );
    // The variant filters of every loop are checked before anything runs.
    for (const [index, script] of scripts.entries())
      for (const item of script.items) {
        if (item.type !== 'for') continue;
        try {
          if (books[index]?.matching(item.filter).length === 0)
            problems.push({
              code: 'MUX_FILTER_NO_MATCH',
              message: `no variant matches ${item.filter.join(' ')}`,
              file: displayName(item.file),
              line: item.line,
              col: 16,
              source: item.text,
            });
        } catch (error) {
          problems.push({
            code: isBatonError(error) ? error.code : 'MUX_BAD_FILTER',
            message: errorMessage(error),
            file: displayName(item.file),
            line: item.line,
            col: 16,
            source: item.text,
          });
        }
      }
    for (const problem of problems) {
      writeLine(io.stderr, formatDiagnostic(problem));
      if (github)
        writeLine(
          io.stdout,
          `::error file=${problem.file},line=${problem.line},col=${problem.col}::${problem.message} [${problem.code}]`,
        );
    }
    if (problems.length > 0) {
      writeLine(io.stderr, `${problems.length} problem${problems.length === 1 ? '' : 's'}: nothing run`);
      return EXIT.usage;
    }
    const until = control.until;
    const untilPoints = scripts.map((script) =>
      until === undefined ? undefined : untilPoint(until, script, displayName),
    );
    const hosts = values.hosts ? readHosts(values.hosts, { cwd: io.cwd, env: io.env }) : new HostBook();
    if (values.check) {
      // The hosts answer: each is connected to once, no block run; a host that does not is exit 3.
      const checks = await checkHosts(scripts, hosts, io.cwd);
      for (const check of checks) {
        const where = `${displayName(check.step.file)}:${check.step.line}`;
        if (check.error)
          writeLine(
            io.stderr,
            `${where}: host ${check.host} did not answer: ${check.error.message} [${check.error.code}]`,
          );
        else writeLine(io.stdout, `host ${check.host}${check.pty ? ' (pty)' : ''}: answers`);
      }
      const failed = checks.filter((check) => check.error).length;
      const noun = `${scripts.length} script${scripts.length === 1 ? '' : 's'}`;
      if (failed > 0) {
        writeLine(io.stderr, `${noun} checked: ${failed} host${failed === 1 ? '' : 's'} did not answer`);
        return EXIT.environment;
      }
      writeLine(io.stdout, `${noun} checked: no problems`);
      return EXIT.ok;
    }
    const ci = io.env.CI;
    // Headless means without the console: on a terminal the replay still shows its progress line.
    const progress =
      io.stdout.isTTY === true &&
      (ci === undefined || ci === '' || ci === '0' || ci === 'false');
    const printer = replayPrinter(io, { github, progress });
    // JUnit, JSON and the closing line of every script replayed; synchronous, for a second interrupt.
    const writeReports = (summaries: readonly JobSummary[]) => {
      const all: JobSummary = {
        jobId: summaries.map((summary) => summary.jobId).join('+'),
        resultsDir: summaries[0]?.resultsDir ?? '',
        status: 'passed',
        exitCode: 0,
        durationMs: summaries.reduce((sum, summary) => sum + summary.durationMs, 0),
        variants: summaries.flatMap((summary) => summary.variants),
      };
      if (values.junit) printer.write(resolve(io.cwd, values.junit), junitXml(all));
      if (values.json) printer.write(resolve(io.cwd, values.json), JSON.stringify(summaries, null, 2) + '\n');
      writeLine(io.stdout, summaryLine(all));
    };
    const summaries: JobSummary[] = [];
    const pauses = control.terminal ? terminalAsk(io) : undefined;
    // A pause's question replaces the progress line.
    const ask = pauses && ((prompt: string) => (printer.clear(), pauses.ask(prompt)));
    let failedAt: number | undefined;
    let iteration = 0;
    try {
      while (iteration < control.iterations && !io.signal?.aborted && failedAt === undefined) {
        iteration++;
        if (control.counted)
          writeLine(
            io.stdout,
            `iteration ${iteration}${Number.isFinite(control.iterations) ? `/${control.iterations}` : ''}`,
          );
        for (const [index, script] of scripts.entries()) {
          if (io.signal?.aborted) break;
          const point = untilPoints[index];
          const gated = control.step || point !== undefined;
          printer.begin(displayName(script.file));
          const summary = await replayJob({
            script,
            variants: books[index] ?? variantBook({ files: [], cwd: io.cwd }),
            hosts,
            env: io.env,
            cwd: io.cwd,
            displayName,
            ...(values.results ? { resultsBase: values.results } : {}),
            ...(io.signal ? { signal: io.signal } : {}),
            ...(gated
              ? {
                  gate: replayGate({
                    step: control.step,
                    ...(point ? { until: point } : {}),
                    ...(ask ? { ask } : {}),
                  }),
                }
              : {}),
            hooks: printer.hooks,
            ...(io.stopNow
              ? {
                  stopNow: io.stopNow,
                  // A second interrupt: the reports of what ran, written before the process exits.
                  onStoppedNow: (summary: JobSummary) => {
                    printer.end();
                    writeReports([...summaries, summary]);
                  },
                }
              : {}),
          });
          summaries.push(summary);
          printer.clear();
          writeLine(io.stdout, `results: ${summary.resultsDir}`);
          if (control.untilFail && summary.exitCode !== 0 && !io.signal?.aborted) failedAt = iteration;
        }
      }
    } finally {
      printer.end();
      pauses?.close();
    }
    if (control.untilFail && !io.signal?.aborted)
      writeLine(
        io.stdout,
        failedAt === undefined
          ? `no failure in ${iteration} iteration${iteration === 1 ? '' : 's'}`
          : `failed at iteration ${failedAt}`,
      );
    const exitCode: ExitCode = io.signal?.aborted
      ? EXIT.interrupted
      : jobExitCode(summaries.map((summary) => ({ exitCode: summary.exitCode })));
    writeReports(summaries);
    return exitCode;
  },
};
