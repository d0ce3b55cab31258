import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Controller } from '../../controller/controller.ts';
import { EXIT } from '../../errors.ts';
import { secretEnvValues, secretParamValues } from '../../journal/redact.ts';
import { Journal } from '../../journal/journal.ts';
import { ResultsFolder } from '../../report/results-folder.ts';
import { readHosts } from '../../hosts/read-hosts.ts';
import { HostBook } from '../../scenario/hosts-file.ts';
import { sha256 } from '../../session/parse.ts';
import { Recorder } from '../../session/recorder.ts';
import { runRepl } from '../../session/repl.ts';
import { variantBook } from '../../session/variants.ts';
import { startJobSyncServer } from '../../sync/job.ts';
import type { Command } from '../command.ts';
import { parseOptions, writeLine } from '../command.ts';

const USAGE = [
  'baton repl [--record FILE] [--hosts FILE] [--variants FILE]... [--results DIR]',
  '',
  '  A line-mode console: type the commands of a session script (help lists them), one step a line;',
  '  Tab completes command words, streams, groups, hosts and barriers; input may be piped in.',
  '  --record FILE       write the session as a script while it runs (each line appended and flushed)',
  '  --hosts FILE        named hosts, one `NAME = SPEC` a line, or an Ansible inventory, or ansible://PATTERN',
  '  --variants FILE     a variant tree for `variant ID|FILTER`',
  '  --results DIR       where the job folder is made (default: results)',
].join('\n');

// `FILE@SHA256,...`, each file relative to the script's folder (R2).
function variantPins(files: string[], cwd: string, script: string): string {
  return files
    .map((file) => {
      const path = resolve(cwd, file);
      return `${relative(dirname(script), path)}@${sha256(readFileSync(path, 'utf8'))}`;
    })
    .join(',');
}

export const replCommand: Command = {
  name: 'repl',
  summary: 'A line-mode console on the same commands, with recording',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(
      'repl',
      args,
      {
        record: { type: 'string' },
        hosts: { type: 'string' },
        variants: { type: 'string', multiple: true },
        results: { type: 'string' },
      },
      false,
    );
    const hosts = values.hosts ? readHosts(values.hosts, { cwd: io.cwd, env: io.env }) : new HostBook();
    const book = variantBook({
      files: (values.variants ?? []).map((path) => resolve(io.cwd, path)),
      cwd: io.cwd,
    });
    const journal = new Journal();
    // S2: values of secret-named environment variables and params are redacted from everything written.
    const secrets = [
      ...secretEnvValues(io.env),
      ...book.matching([]).flatMap((variant) => secretParamValues(variant.values)),
    ];
    journal.redact(secrets);
    const results = new ResultsFolder(resolve(io.cwd, values.results ?? 'results'), journal);
    journal.emit({ kind: 'job-start', jobId: journal.header.jobId, command: 'repl', argv: args });
    const sync = await startJobSyncServer(journal);
    const controller = new Controller({
      journal,
      results,
      sync,
      hosts,
      cwd: io.cwd,
      variants: (selector) => book.find(selector),
    });
    const recorder = values.record
      ? new Recorder(resolve(io.cwd, values.record), journal, {
          header: {
            // The terminal size (R2) when there is a terminal; piped, the session had none.
            ...(io.stdout.isTTY && io.stdout.columns
              ? { cols: io.stdout.columns, rows: io.stdout.rows ?? 24 }
              : {}),
            ...(values.variants
              ? { variants: variantPins(values.variants, io.cwd, resolve(io.cwd, values.record)) }
              : {}),
          },
          secrets: () => secrets,
        })
      : undefined;
    try {
      await runRepl({
        controller,
        input: io.stdin,
        output: io.stdout,
        env: io.env,
        ...(recorder ? { recorder } : {}),
      });
    } finally {
      recorder?.dispose();
      await controller.dispose();
      await sync.close();
      journal.emit({ kind: 'job-end', jobId: journal.header.jobId, status: 'passed', exitCode: EXIT.ok });
      results.dispose();
    }
    if (values.record) writeLine(io.stderr, `recorded: ${values.record}`);
    return EXIT.ok;
  },
};
