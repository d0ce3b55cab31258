/**
 * Loading: each `[INJECT:]FILE` argument is read through an injected reader, parsed, built into nodes
 * (includes resolved relative to the including file), placed at its injection point and merged into one
 * root, in argument order. Every problem is collected with its position and include chain.
 */
import { posix } from 'node:path';
import { constructFile } from './construct.ts';
import { BudgetExceeded } from './construct-base.ts';
import { Diagnostics } from './diagnostics.ts';
import type { IncludeSite, MuxDiagnostic, SourceRef } from './diagnostics.ts';
import { parseYaml } from './parse.ts';
import { ReadRefused } from './read-refused.ts';
import { MuxNode } from './tree.ts';

/** How the loader reads files; tests pass an in-memory one. */
export interface MuxFileReader {
  /**
   * The file's text, or undefined when there is no such file. Throws when it exists but cannot be read; a
   * reader of real files throws `ReadRefused` for what is not a regular file and stops reading past
   * `maxBytes` (the loader checks the text's size again, so a reader may ignore the bound).
   */
  readText(path: string, maxBytes?: number): string | undefined;
}

export interface LoadOptions {
  reader: MuxFileReader;
  /** Larger files are refused with MUX_TOO_LARGE. @default 16 MiB */
  maxFileBytes?: number;
  /** Budget of constructed YAML nodes over all files. @default 5_000_000 */
  maxNodes?: number;
  /** Budget of nodes rebuilt through aliases (what an alias bomb exhausts). @default 1_000_000 */
  maxAliasNodes?: number;
  /** Budget of `!include`s followed. @default 1000 */
  maxIncludes?: number;
}

export interface LoadResult {
  /** The merged tree (root named ''); meaningful only when `errors` is empty. */
  tree: MuxNode;
  errors: MuxDiagnostic[];
  warnings: MuxDiagnostic[];
  /** Text of every file read, for excerpts in error reports. */
  sources: Map<string, string>;
  /** No file was given: the reference then has no tree at all unless `--inject` creates one. */
  empty: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 64;

/** A `-m` argument split into its injection path components and the file (`\:` escapes a colon). */
export function parseFileSpec(spec: string): { inject: string[]; file: string } {
  const split = /(?<!\\):/.exec(spec);
  const unescape = (text: string) => text.replace(/(?<!\\)\\:/g, ':');
  if (!split) return { inject: ['run'], file: unescape(spec) };
  const where = unescape(spec.slice(0, split.index));
  const inject = where
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter(Boolean);
  if (!where.startsWith('/')) inject.unshift('run');
  return { inject, file: unescape(spec.slice(split.index + 1)) };
}

/** Load and merge multiplex files given as `[INJECT:]FILE` arguments. Never throws on bad input. */
export function loadVariantTree(specs: readonly string[], options: LoadOptions): LoadResult {
  const loader = new Loader(options);
  const root = new MuxNode('');
  try {
    for (const spec of specs) {
      const { inject, file } = parseFileSpec(spec);
      const loaded = loader.loadFile(file, [], undefined);
      if (loaded) root.merge(placeAt(loaded, inject));
    }
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    loader.diagnostics.error('MUX_TOO_LARGE', 'other', error.message, error.at);
  }
  return {
    tree: root,
    errors: loader.diagnostics.errors,
    warnings: loader.diagnostics.warnings,
    sources: loader.sources,
    empty: specs.length === 0,
  };
}

/** Put a file's root (named '') at its injection point: it becomes the last component, below the others. */
function placeAt(fileRoot: MuxNode, inject: string[]): MuxNode {
  if (inject.length === 0) return fileRoot;
  let node = fileRoot;
  node.name = inject[inject.length - 1]!;
  for (let index = inject.length - 2; index >= 0; index--) {
    const parent = new MuxNode(inject[index], node.at);
    parent.addChild(node);
    node = parent;
  }
  const root = new MuxNode('', node.at);
  root.addChild(node);
  return root;
}

class Loader {
  readonly diagnostics = new Diagnostics();
  readonly sources = new Map<string, string>();
  private readonly parsed = new Map<string, ReturnType<typeof parseYaml>>();
  private readonly spent = { nodes: 0, alias: 0, includes: 0 };
  private readonly limits: { nodes: number; alias: number; includes: number };
  private readonly maxFileBytes: number;
  private readonly reader: MuxFileReader;

  constructor(options: LoadOptions) {
    this.reader = options.reader;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.limits = {
      nodes: options.maxNodes ?? 5_000_000,
      alias: options.maxAliasNodes ?? 1_000_000,
      includes: options.maxIncludes ?? 1000,
    };
  }

  private spend(
    kind: 'nodes' | 'alias' | 'includes',
    count: number,
    at: SourceRef | (() => SourceRef),
  ): void {
    this.spent[kind] += count;
    if (this.spent[kind] <= this.limits[kind]) return;
    const what = {
      nodes: 'nodes built',
      alias: 'nodes expanded through aliases',
      includes: 'includes followed',
    }[kind];
    throw new BudgetExceeded(
      `more than ${this.limits[kind]} ${what}: the input is too large (or an alias bomb)`,
      typeof at === 'function' ? at() : at,
    );
  }

  /**
   * A file's root node: null when the file is empty or broken (problems reported), undefined when it could
   * not be read at all.
   */
  loadFile(
    file: string,
    chain: readonly IncludeSite[],
    site: SourceRef | undefined,
  ): MuxNode | null | undefined {
    const text = this.read(file, site);
    if (text === undefined) return undefined;
    const parsed = this.parsed.get(file) ?? parseYaml(text);
    this.parsed.set(file, parsed);
    for (const problem of parsed.problems) {
      const at: SourceRef = { file, line: problem.pos.line, col: problem.pos.col, chain };
      if (problem.kind === 'nesting') this.diagnostics.error('MUX_TOO_LARGE', 'other', problem.message, at);
      else if (problem.kind === 'documents')
        this.diagnostics.error('MUX_BAD_DOCUMENT', 'yaml_invalid', problem.message, at);
      else this.diagnostics.error('MUX_YAML_SYNTAX', 'yaml_invalid', problem.message, at);
    }
    if (parsed.problems.length > 0) return null;
    return constructFile(parsed.root, {
      file,
      chain,
      diagnostics: this.diagnostics,
      include: (path, at) => this.include(path, at, file, chain),
      // the position becomes a SourceRef only once the budget is spent
      spend: (kind, count, pos) => {
        if (this.spent[kind] + count <= this.limits[kind]) this.spent[kind] += count;
        else this.spend(kind, count, { file, line: pos.line, col: pos.col, chain });
      },
    });
  }

  /** Read a file; problems are reported at the include site, or at the file itself for a command-line file. */
  private read(file: string, includedAt: SourceRef | undefined): string | undefined {
    const cached = this.sources.get(file);
    if (cached !== undefined) return cached;
    const site = includedAt ?? { file, line: 1, col: 1, chain: [] };
    try {
      const text = this.reader.readText(file, this.maxFileBytes);
      if (text === undefined) {
        if (includedAt) {
          const message = `File '${file}' included from '${includedAt.file}' does not exist.`;
          this.diagnostics.error('MUX_INCLUDE_MISSING', 'include_missing', message, includedAt);
        } else {
          this.diagnostics.error('FILE_NOT_FOUND', 'other', `no such file: '${file}'`, {
            file,
            line: 0,
            col: 0,
            chain: [],
          });
        }
        return undefined;
      }
      if (Buffer.byteLength(text) > this.maxFileBytes) {
        this.tooLarge(file, site);
        return undefined;
      }
      this.sources.set(file, text);
      return text;
    } catch (error) {
      if (error instanceof ReadRefused && error.reason === 'too-large') {
        this.tooLarge(file, site);
        return undefined;
      }
      this.diagnostics.error(
        'FILE_UNREADABLE',
        'other',
        `cannot read '${file}': ${(error as Error).message}`,
        site,
      );
      return undefined;
    }
  }

  private failedSince(count: number): boolean {
    return this.diagnostics.errors.length > count;
  }

  private tooLarge(file: string, site: SourceRef | undefined): void {
    const message = `'${file}' is larger than the ${this.maxFileBytes} bytes a multiplex file may have`;
    this.diagnostics.error('MUX_TOO_LARGE', 'other', message, site);
  }

  private include(path: string, at: SourceRef, file: string, chain: readonly IncludeSite[]): MuxNode | null {
    this.spend('includes', 1, at);
    const errors = this.diagnostics.errors.length;
    const target = posix.isAbsolute(path) ? path : posix.join(posix.dirname(file), path);
    const site: IncludeSite = { file: at.file, line: at.line, col: at.col };
    const files = [file, ...chain.map((link) => link.file)];
    if (files.includes(target)) {
      this.diagnostics.error(
        'MUX_INCLUDE_CYCLE',
        'other',
        `'${target}' includes itself (${[...files].reverse().join(' -> ')} -> ${target})`,
        at,
      );
      return null;
    }
    if (chain.length >= MAX_INCLUDE_DEPTH) {
      this.diagnostics.error(
        'MUX_TOO_LARGE',
        'other',
        `includes nested deeper than ${MAX_INCLUDE_DEPTH} files`,
        at,
      );
      return null;
    }
    const loaded = this.loadFile(target, [site, ...chain], at);
    if (loaded === null && !this.failedSince(errors)) {
      this.diagnostics.error('MUX_BAD_DOCUMENT', 'other', `included file '${target}' is empty`, at);
    }
    return loaded ?? null;
  }
}
