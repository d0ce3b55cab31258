import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

/** A problem of a script at a position; `col` is 1-based. */
export interface Diagnostic {
  code: ErrorCode;
  message: string;
  file: string;
  line: number;
  col: number;
  /** The source line, for the caret excerpt. */
  source: string;
}

/** `file:line:col: message [CODE]`, the source line, and a caret under the column. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, col, message, code, source } = diagnostic;
  const caret = `${' '.repeat(Math.max(0, col - 1))}^`;
  return `${file}:${line}:${col}: ${message} [${code}]\n  ${source}\n  ${caret}`;
}

/** One error for a list of problems: the first one's code and position, every problem in the message. */
export function diagnosticsError(diagnostics: readonly Diagnostic[]): BatonError {
  const [first] = diagnostics;
  if (!first) return new BatonError('INTERNAL', 'no diagnostics');
  const text = diagnostics.map(formatDiagnostic).join('\n');
  const message = diagnostics.length === 1 ? text : `${diagnostics.length} problems in the script:\n${text}`;
  return new BatonError(first.code, message, {
    file: first.file,
    line: first.line,
    col: first.col,
    diagnostics: diagnostics.map(({ code, file, line, col, message: text }) => ({
      code,
      file,
      line,
      col,
      message: text,
    })),
  });
}
