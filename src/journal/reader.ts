import { readFileSync } from 'node:fs';
import { BatonError } from '../errors.ts';
import { EVENT_KINDS, JOURNAL_FORMAT } from './events.ts';
import type { JournalEvent, JournalHeader } from './events.ts';

export interface ParsedJournal {
  header: JournalHeader;
  events: JournalEvent[];
  /** The last line was cut off (the writer was killed mid-line); the events before it are complete. */
  truncated: boolean;
}

const KNOWN_KINDS = new Set<string>(EVENT_KINDS);

/** Parse journal text; refuses a format version other than this tool's, naming both. */
export function parseJournal(text: string, file = '<journal>'): ParsedJournal {
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) lines.pop();
  if (lines.length === 0 || lines[0] === '') {
    throw new BatonError('JOURNAL_BAD_FORMAT', 'empty journal: expected a header line', {
      file,
      line: 1,
      col: 1,
    });
  }
  const header = parseLine(lines[0], file, 1) as Partial<JournalHeader>;
  if (typeof header.format !== 'number') {
    throw new BatonError('JOURNAL_BAD_FORMAT', 'expected a header line with a numeric "format"', {
      file,
      line: 1,
      col: 1,
    });
  }
  if (header.format !== JOURNAL_FORMAT) {
    throw new BatonError(
      'JOURNAL_VERSION',
      `journal format ${header.format} is not supported: this baton (${String(header.tool ?? '?')} wrote it) reads format ${JOURNAL_FORMAT}`,
      { file, line: 1, col: 1, found: header.format, supported: JOURNAL_FORMAT },
    );
  }
  const events: JournalEvent[] = [];
  let truncated = false;
  for (let index = 1; index < lines.length; index++) {
    const isLast = index === lines.length - 1;
    if (isLast && !endsWithNewline) {
      try {
        events.push(toEvent(JSON.parse(lines[index]), file, index + 1));
      } catch {
        truncated = true;
      }
      continue;
    }
    events.push(parseEventLine(lines[index], file, index + 1));
  }
  return { header: header as JournalHeader, events, truncated };
}

export function readJournal(path: string): ParsedJournal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BatonError('FILE_NOT_FOUND', `cannot read journal ${path}`, { file: path }, { cause: error });
  }
  return parseJournal(text, path);
}

/** One event line of a journal (line 2 on), checked as `parseJournal` checks it: for readers that follow a file. */
export function parseEventLine(line: string, file: string, lineNumber: number): JournalEvent {
  return toEvent(parseLine(line, file, lineNumber), file, lineNumber);
}

function parseLine(line: string, file: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    const col = /position (\d+)/.exec(String(error))?.[1];
    throw new BatonError('JOURNAL_BAD_FORMAT', 'expected one JSON object per line', {
      file,
      line: lineNumber,
      col: col === undefined ? 1 : Number(col) + 1,
    });
  }
}

function toEvent(record: unknown, file: string, line: number): JournalEvent {
  const event = record as Partial<JournalEvent> | null;
  if (!event || typeof event !== 'object' || typeof event.seq !== 'number' || typeof event.t !== 'number') {
    throw new BatonError('JOURNAL_BAD_FORMAT', 'expected an event with numeric "seq" and "t"', {
      file,
      line,
      col: 1,
    });
  }
  if (typeof event.kind !== 'string' || !KNOWN_KINDS.has(event.kind)) {
    throw new BatonError('JOURNAL_BAD_FORMAT', `unknown event kind ${JSON.stringify(event.kind)}`, {
      file,
      line,
      col: 1,
    });
  }
  return event as JournalEvent;
}
