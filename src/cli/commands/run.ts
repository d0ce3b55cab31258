import { BatonError } from '../../errors.ts';
import type { RunStatus } from '../../journal/events.ts';
import { formatFailure } from '../../report/failure-text.ts';
import { summaryLine } from '../../report/job-report.ts';
import type { ResultsFolder } from '../../report/results-folder.ts';
import type { VariantResult } from '../../report/job-report.ts';
import { readHosts } from '../../hosts/read-hosts.ts';
import { HostBook } from '../../scenario/hosts-file.ts';
import { runJob } from '../../scenario/runner.ts';
import type { Command } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';
import { variantSource } from './run-variants.ts';

const USAGE = [
  'baton run SCENARIO... [--hosts FILE] [--variants FILE]... [--filter-only PATH]... [--filter-out PATH]...',
  '                 [--inject [PATH:]KEY:VALUE]... [--results DIR]',
  '',
  '  SCENARIO            a TypeScript module exporting a scenario function (default export)',
  '  --hosts FILE        named hosts, one `NAME = SPEC [key=value]...` a line (local, pty, ssh://user@host:port),',
  '                      or an Ansible inventory (INI or YAML), or ansible://PATTERN (see README, Hosts)',
  '  --variants FILE     a YAML multiplex tree: the scenario runs once per selected variant',
  '  --filter-only PATH  keep only these branches of the tree (globs * and ** allowed)',
  '  --filter-out PATH   drop these branches',
  '  --inject P:K:V      set a value in the tree',
  '  --results DIR       where the job folder is made (default: results)',
  '',
  'Exit codes: 0 every variant passed, 1 a scenario failed, 2 bad input, 3 the environment failed,',
  '130 interrupted (SIGINT or SIGTERM: streams closed, reports written; a second SIGINT exits at once).',
].join('\n');

const MARK: Record<RunStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
  'not-run': 'NOT RUN',
};

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
    const print = (result: VariantResult) => {
      const head = `${MARK[result.status]} ${result.scenario} ${result.variant}`;
      if (result.status === 'not-run') return writeLine(io.stdout, head);
      const [cause, ...details] = result.error ? formatFailure(result.error) : [];
      writeLine(io.stdout, `${head} (${result.durationMs} ms)${cause ? `: ${cause.split('\n')[0]}` : ''}`);
      for (const line of details) writeLine(io.stdout, line);
    };
    let results: ResultsFolder | undefined;
    const summary = await runJob({
      scenarios: positionals,
      hosts,
      ...(variants ? { variants } : {}),
      ...(values.results ? { resultsBase: values.results } : {}),
      cwd: io.cwd,
      ...(io.signal ? { signal: io.signal } : {}),
      onVariantEnd: print,
      onJournal: (_journal, folder) => (results = folder),
      command: 'run',
    });
    const lost = results?.writeFailure;
    if (lost) writeLine(io.stderr, `baton: ${lost.code}: ${lost.located} (the results are incomplete)`);
    writeLine(io.stdout, `results: ${summary.resultsDir}`);
    writeLine(io.stdout, summaryLine(summary));
    return summary.exitCode;
  },
};
