import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

/**
 * How the reference fails on the same input (the `category` of the conformance corpus), or, for problems
 * the reference does not report, what kind of problem it is.
 */
export type MuxCategory =
  | 'using_twice'
  | 'include_missing'
  | 'yaml_invalid'
  | 'inject_format'
  | 'other'
  | 'filter_no_match'
  | 'override';

/** Where a file was included from: the `!include` key in the including file. */
export interface IncludeSite {
  file: string;
  line: number;
  col: number;
}

/** A position in a source file (line 0: the whole file), with the includes that led to it (innermost first). */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
  chain: readonly IncludeSite[];
}

/** One problem found while loading or operating on a tree; errors stop expansion, warnings do not. */
export interface MuxDiagnostic {
  code: ErrorCode;
  severity: 'error' | 'warning';
  category: MuxCategory;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  includeChain: readonly IncludeSite[];
}

/** Collects problems in the order they are found. */
export class Diagnostics {
  readonly errors: MuxDiagnostic[] = [];
  readonly warnings: MuxDiagnostic[] = [];

  error(code: ErrorCode, category: MuxCategory, message: string, at?: SourceRef): void {
    this.errors.push(diagnostic(code, 'error', category, message, at));
  }

  warn(code: ErrorCode, category: MuxCategory, message: string, at?: SourceRef): void {
    this.warnings.push(diagnostic(code, 'warning', category, message, at));
  }

  absorb(other: { errors: readonly MuxDiagnostic[]; warnings: readonly MuxDiagnostic[] }): void {
    this.errors.push(...other.errors);
    this.warnings.push(...other.warnings);
  }
}

function diagnostic(
  code: ErrorCode,
  severity: MuxDiagnostic['severity'],
  category: MuxCategory,
  message: string,
  at?: SourceRef,
): MuxDiagnostic {
  if (!at) return { code, severity, category, message, includeChain: [] };
  // Line 0 stands for the whole file (a file that cannot be read has no position inside it).
  const position = at.line > 0 ? { line: at.line, col: at.col } : {};
  return { code, severity, category, message, file: at.file, ...position, includeChain: at.chain };
}

/** `file:line:col` of a diagnostic, or undefined when it has no position (a command-line argument). */
export function locationOf(problem: MuxDiagnostic): string | undefined {
  if (problem.file === undefined) return undefined;
  return [problem.file, problem.line, problem.col].filter((part) => part !== undefined).join(':');
}

/** `a.yaml:3:5: message [CODE], included from main.yaml:10:3` — one line per problem. */
export function formatDiagnostic(problem: MuxDiagnostic): string {
  const where = locationOf(problem);
  const chain = problem.includeChain
    .map((site) => `, included from ${site.file}:${site.line}:${site.col}`)
    .join('');
  const label = problem.severity === 'warning' ? 'warning: ' : '';
  return `${where ? where + ': ' : ''}${label}${problem.message} [${problem.code}]${chain}`;
}

/** The first error as a BatonError (code, message and position), for callers that throw. */
export function toBatonError(problem: MuxDiagnostic): BatonError {
  return new BatonError(problem.code, problem.message, {
    file: problem.file,
    line: problem.line,
    col: problem.col,
    category: problem.category,
    includeChain: problem.includeChain,
  });
}

/** The source line of a problem and a caret under its column, when the file's text is known. */
export function codeFrame(problem: MuxDiagnostic, sources: ReadonlyMap<string, string>): string[] {
  if (problem.file === undefined || problem.line === undefined) return [];
  const text = sources.get(problem.file);
  if (text === undefined) return [];
  const line = text.split('\n')[problem.line - 1];
  if (line === undefined) return [];
  const shown = line.replace(/\r$/, '').replace(/\t/g, ' ');
  const clipped = shown.length > 200 ? shown.slice(0, 200) + '…' : shown;
  return [`  ${clipped}`, `  ${' '.repeat(Math.max(0, Math.min((problem.col ?? 1) - 1, 200)))}^`];
}
