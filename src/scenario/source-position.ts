import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A 1-based position in a source file. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** The first `file:line:col: ERROR: message` of an esbuild transform failure (esbuild's columns count from 0). */
export function esbuildError(error: unknown): (SourcePosition & { message: string }) | undefined {
  const text = error instanceof Error ? error.message : '';
  const match = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(text);
  if (!match) return undefined;
  const [, file = '', line = '0', col = '0', message = ''] = match;
  return { file, line: Number(line), col: Number(col) + 1, message };
}

/** The top frame of a stack that lies in `file`: where a scenario threw, not where Baton caught it. */
export function frameIn(error: unknown, file: string): SourcePosition | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?\/[^():\s]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?$/gm)) {
    const [, where = '', line = '0', col = '0'] = match;
    const path = where.startsWith('file://') ? fileURLToPath(where) : where;
    if (path === file) return { file, line: Number(line), col: Number(col) };
  }
  return undefined;
}

/** The source line at a position and a caret under its column: two lines, or none when unreadable. */
export function codeFrame(position: SourcePosition): string[] {
  let source: string;
  try {
    source = readFileSync(position.file, 'utf8');
  } catch {
    return [];
  }
  const line = source.split(/\r?\n/)[position.line - 1];
  if (line === undefined) return [];
  const gutter = `${position.line} | `;
  const indent = line.slice(0, Math.max(0, position.col - 1)).replace(/[^\t]/g, ' ');
  return [`${gutter}${line}`, `${' '.repeat(gutter.length - 2)}| ${indent}^`];
}
