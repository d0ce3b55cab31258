import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage } from '../../src/errors.ts';
import { formatDiagnostic } from '../../src/session/diagnostics.ts';
import { parseScript, sha256 } from '../../src/session/parse.ts';

/** What a take-over keeps of the replayed script and what it adds (P2). */
export interface Takeover {
  /** The replayed script's path and text as it was read. */
  file: string;
  text: string;
  /** The line of the first step that did not run; undefined when every step ran. */
  stoppedLine?: number;
  /** Lines of the script replaced by their edit at a failed step (P6), by line number. */
  edits: ReadonlyMap<number, string>;
  /** The steps typed by hand after the replayed ones, with their `expect` lines. */
  handLines: readonly string[];
}

const HEADER_PAIRS = /^#\s*\S+=\S*(\s+\S+=\S*)*\s*$/;

/**
 * The script a take-over saves: the header with `taken-over-from=FILE sha256=HEX line=L`, the lines before
 * the first step not run (edits applied), the steps typed by hand, the `finally` section, and the lines that
 * did not run commented out in a trailer `# --- dropped at takeover, line L ---`.
 */
export function takeoverText(takeover: Takeover): string {
  const lines = takeover.text.replace(/\n$/, '').split('\n');
  const edited = lines.map((line, index) => takeover.edits.get(index + 1) ?? line);
  let headerEnd = 1;
  while (headerEnd < edited.length && HEADER_PAIRS.test(edited[headerEnd] ?? '')) headerEnd++;
  const header = edited.slice(0, headerEnd).filter((line) => !/^#\s*taken-over-from=/.test(line));
  const stop = takeover.stoppedLine ?? edited.length + 1;
  const finallyAt = edited.findIndex((line, index) => index >= stop - 1 && /^\s*finally\s*$/.test(line));
  const dropEnd = finallyAt === -1 ? edited.length : finallyAt;
  const dropped = edited.slice(stop - 1, dropEnd);
  return [
    ...header,
    `# taken-over-from=${basename(takeover.file)} sha256=${sha256(takeover.text)} line=${stop}`,
    ...edited.slice(headerEnd, stop - 1),
    ...takeover.handLines,
    ...(finallyAt === -1 ? [] : edited.slice(finallyAt)),
    ...(dropped.some((line) => line.trim() !== '')
      ? [`# --- dropped at takeover, line ${stop} ---`, ...dropped.map((line) => `# ${line}`)]
      : []),
  ]
    .join('\n')
    .concat('\n');
}

/**
 * Write a script safely: a temporary file beside `file`, parsed, then renamed into place. The problems of a
 * script that does not parse, as lines (nothing is written then).
 */
export function saveScript(file: string, text: string): string[] {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    const { errors } = parseScript(temporary, {
      read: (path) => {
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return undefined;
        }
      },
    });
    if (errors.length > 0) {
      rmSync(temporary, { force: true });
      return [`not saved: ${basename(file)} would not parse`, ...errors.map(formatDiagnostic)];
    }
    renameSync(temporary, file);
    return [];
  } catch (error) {
    rmSync(temporary, { force: true });
    return [`not saved: ${errorMessage(error)}`];
  }
}
