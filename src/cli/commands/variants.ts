import { EXIT, isBatonError } from '../../errors.ts';
import type { Command, CliIO } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';
import { codeFrame, formatDiagnostic } from '../../mux/diagnostics.ts';
import type { MuxDiagnostic } from '../../mux/diagnostics.ts';
import { errorJson, variantJson, variantsJsonChunks } from '../../mux/emit-json.ts';
import type { JsonOptions } from '../../mux/emit-json.ts';
import type { Query } from '../../mux/emit-json.ts';
import type { VariantPlan } from '../../mux/compile.ts';
import { expandVariants, prepareVariants } from '../../mux/pipeline.ts';
import type { PreparedVariants } from '../../mux/pipeline.ts';
import { pathPattern } from '../../mux/params.ts';
import { fileReader } from '../../mux/readers.ts';
import { renderTree, renderVariant } from '../../mux/render.ts';
import { DEFAULT_MUX_PATHS } from '../../mux/variant.ts';
import { avocadoTree, translateAvocadoArgs } from './variants-avocado.ts';
import type { AvocadoView } from './variants-avocado.ts';
import { OutputWriter, Progress, colours } from './variants-output.ts';

const USAGE = [
  'baton variants [INJECT:]FILE... [--filter-only P]... [--filter-out P]... [--inject [PATH:]KEY:VALUE]...',
  '               [--tree | --json | --jsonl [--ids] [--mux-path P]... [--query KEY[@PATH]]... | --check]',
  '               [--env] [--strict] [--summary N] [--variants N]',
  '',
  'Files merge in order; INJECT:FILE puts a file below /run/INJECT (/INJECT: from the root), else below /run.',
  '  --filter-only P   keep only P among its siblings (exact path; * is one level, ** any)',
  '  --filter-out P    remove the node at P',
  '  --inject PATH:KEY:VALUE   set a value (typed like a Python literal), creating PATH',
  '  --tree            print the tree only',
  '  --env             with each variant, its values and where they come from',
  '  --json            the conformance corpus format (with --ids: only ids and leaves)',
  '  --jsonl           one variant a line, as in --json, streamed (no tree, no count)',
  '  --mux-path P      params search path, in priority order (default /run/*)',
  '  --query KEY[@PATH]  add params.get(KEY, PATH) to each variant of --json',
  '  --check           only validate, listing every problem',
  '  --strict          fail (exit 2) on warnings too',
  '',
  "Avocado's spellings work too: -m/--mux-yaml FILE..., --mux-filter-only P..., --mux-filter-out P...,",
  "--mux-inject V..., --mux-path P...; with -m, --summary N or --variants N the output is Avocado's:",
  'N is 0 (none) ... 4 (full) or none, brief, normal, verbose, full, max (default --summary 0 --variants 1).',
  'Colours only on a terminal, never under CI (CI=true) or with NO_COLOR set.',
].join('\n');

const OPTIONS = {
  'filter-only': { type: 'string', multiple: true },
  'filter-out': { type: 'string', multiple: true },
  inject: { type: 'string', multiple: true },
  'mux-path': { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  tree: { type: 'boolean' },
  json: { type: 'boolean' },
  jsonl: { type: 'boolean' },
  ids: { type: 'boolean' },
  env: { type: 'boolean' },
  check: { type: 'boolean' },
  strict: { type: 'boolean' },
} as const;

/** `KEY` (no path), `KEY@PATH`, `KEY@` (the empty path). */
function parseQuery(text: string): Query {
  const at = text.indexOf('@');
  if (at < 0) return { key: text, path: null };
  return { key: text.slice(0, at), path: text.slice(at + 1) };
}

export const variantsCommand: Command = {
  name: 'variants',
  summary: 'Show, check and export the variants of a multiplex tree',
  usage: USAGE,
  async run(args, io) {
    const avocado = translateAvocadoArgs(args);
    const { values, positionals } = parseOptions('variants', avocado.args, OPTIONS);
    const modes = [values.tree, values.json, values.jsonl, values.check, avocado.view].filter(Boolean).length;
    if (modes > 1)
      throw usageError('--tree, --json, --jsonl, --check and the Avocado view do not combine', 'variants');
    const machine = values.json === true || values.jsonl === true;
    const inject = values.inject ?? [];
    if (positionals.length === 0 && inject.length === 0)
      throw usageError('give at least one FILE (or --inject)', 'variants');
    const prepared = prepareVariants({
      files: positionals,
      reader: fileReader(io.cwd),
      inject,
      filterOnly: values['filter-only'] ?? [],
      filterOut: values['filter-out'] ?? [],
    });
    const out = new OutputWriter(io.stdout);
    const failing = prepared.errors.length > 0 || (values.strict === true && prepared.warnings.length > 0);
    if (values.check) return check(prepared, io, values.strict === true);
    if (failing) {
      const problems = prepared.errors.length > 0 ? prepared.errors : prepared.warnings;
      if (machine) await out.write(JSON.stringify(errorJson(problems)) + '\n');
      else report([...prepared.errors, ...prepared.warnings], prepared, io, false);
      await out.flush();
      return EXIT.usage;
    }
    report(prepared.warnings, prepared, io, false);
    const muxPaths = values['mux-path'] ?? DEFAULT_MUX_PATHS;
    const badPath = invalidMuxPath(muxPaths);
    if (badPath) {
      if (machine) await out.write(JSON.stringify(errorJson([badPath])) + '\n');
      else writeLine(io.stderr, formatDiagnostic(badPath));
      await out.flush();
      return EXIT.usage;
    }
    if (machine) {
      const queries = (values.query ?? []).map(parseQuery);
      const options: JsonOptions = {
        detail: values.ids ? 'ids' : 'full',
        muxPaths,
        ...(queries.length > 0 ? { queries } : {}),
      };
      await json(prepared, out, io, options, values.jsonl === true);
    } else if (avocado.view) {
      await avocadoOutput(prepared, out, io, avocado.view);
    } else {
      await human(prepared, out, io, { treeOnly: values.tree === true, env: values.env === true });
    }
    await out.flush();
    return EXIT.ok;
  },
};

/** A `--mux-path` that is not a valid params path, as a diagnostic. */
function invalidMuxPath(muxPaths: readonly string[]): MuxDiagnostic | undefined {
  for (const path of muxPaths) {
    try {
      pathPattern(path);
    } catch (error) {
      if (!isBatonError(error, 'MUX_BAD_PATH')) throw error;
      return {
        code: 'MUX_BAD_PATH',
        severity: 'error',
        category: 'other',
        message: error.message,
        includeChain: [],
      };
    }
  }
  return undefined;
}

function report(
  problems: readonly MuxDiagnostic[],
  prepared: PreparedVariants,
  io: CliIO,
  frames: boolean,
): void {
  for (const problem of problems) {
    writeLine(io.stderr, formatDiagnostic(problem));
    if (frames) for (const line of codeFrame(problem, prepared.sources)) writeLine(io.stderr, line);
  }
}

function check(prepared: PreparedVariants, io: CliIO, strict: boolean): number {
  const problems = [...prepared.errors, ...prepared.warnings];
  report(problems, prepared, io, true);
  const errors = prepared.errors.length;
  const warnings = prepared.warnings.length;
  const failed = errors > 0 || (strict && warnings > 0);
  writeLine(io.stderr, `${failed ? 'failed' : 'ok'}: ${errors} error(s), ${warnings} warning(s)`);
  return failed ? EXIT.usage : EXIT.ok;
}

/** The corpus document (`--json`), or one variant a line (`--jsonl`); both streamed in bounded memory. */
async function json(
  prepared: PreparedVariants,
  out: OutputWriter,
  io: CliIO,
  options: JsonOptions,
  lines: boolean,
): Promise<void> {
  const progress = new Progress(io);
  let count = 0;
  const chunks = lines
    ? jsonLines(prepared.plan!, options)
    : variantsJsonChunks(prepared.tree!, prepared.plan!, options);
  for (const chunk of chunks) {
    await out.write(chunk);
    progress.tick(++count);
    if (out.closed || io.signal?.aborted) break;
  }
  progress.done();
}

function* jsonLines(plan: VariantPlan, options: JsonOptions): Generator<string> {
  for (const variant of expandVariants(plan)) yield JSON.stringify(variantJson(variant, options)) + '\n';
}

/**
 * Avocado's `variants` output: nothing when there is no variant; else with a summary, the tree under
 * `Multiplex tree representation:`, then with variants, `Multiplex variants (N):` and each variant (with
 * its environment from level 2). The count comes first, so the variants are expanded twice, as Avocado does.
 */
async function avocadoOutput(
  prepared: PreparedVariants,
  out: OutputWriter,
  io: CliIO,
  view: AvocadoView,
): Promise<void> {
  const plan = prepared.plan!;
  let total = 0;
  for (const _variant of expandVariants(plan)) {
    total++;
    if (io.signal?.aborted) return;
  }
  if (total === 0) {
    writeLine(io.stderr, 'baton: no variant: the internal filters reject every combination');
    return;
  }
  const sections: string[] = [];
  if (view.summary > 0) {
    const tree = avocadoTree(prepared.tree!, plan, view.summary - 1);
    sections.push(['Multiplex tree representation:', tree.join('\n'), ''].join('\n'));
  }
  if (view.variants > 0) sections.push(`Multiplex variants (${total}):`);
  await out.write(sections.join('\n').replace(/\n+$/, '') + (sections.length > 0 ? '\n' : ''));
  if (view.variants === 0) return;
  const env = view.variants > 1;
  const progress = new Progress(io);
  let count = 0;
  for (const variant of expandVariants(plan)) {
    await out.write((env ? '\n' : '') + renderVariant(variant, env).join('\n') + '\n');
    progress.tick(++count);
    if (out.closed || io.signal?.aborted) break;
  }
  progress.done();
}

async function human(
  prepared: PreparedVariants,
  out: OutputWriter,
  io: CliIO,
  options: { treeOnly: boolean; env: boolean },
): Promise<void> {
  const style = colours(io);
  for (const line of renderTree(prepared.tree!, style)) await out.write(line + '\n');
  if (options.treeOnly) return;
  const progress = new Progress(io);
  let count = 0;
  for (const variant of expandVariants(prepared.plan!)) {
    await out.write('\n' + renderVariant(variant, options.env, style).join('\n') + '\n');
    progress.tick(++count);
    if (out.closed || io.signal?.aborted) break;
  }
  progress.done();
  const note = count === 0 ? ': the internal filters reject every combination' : '';
  await out.write(`\n${count} variant${count === 1 ? '' : 's'}${note}\n`);
}
