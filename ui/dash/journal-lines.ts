import { isBatonError } from '../../src/errors.ts';
import type { JournalEvent, JournalHeader } from '../../src/journal/events.ts';
import { parseEventLine, parseJournal } from '../../src/journal/reader.ts';

/** A line of the journal: an event, or why it was skipped (`file:line:col: message [CODE]`). */
export type JournalLine = { event: JournalEvent } | { skipped: string };

/** What a chunk of journal text held: the header (once), then its lines in order. */
export interface JournalChunk {
  header?: JournalHeader;
  /** A line that is not an event is skipped; the lines after it still count. */
  lines: JournalLine[];
}

/**
 * Journal text fed in pieces as it is appended: complete lines become events, a line still being written waits
 * for its end. A bad line is skipped with a warning instead of ending the read, so a dashboard never stops
 * on it. A bad header is an error: the file is not a journal this baton reads.
 */
export class JournalLines {
  private pending = '';
  private lineNumber = 0;
  private header: JournalHeader | undefined;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  feed(text: string): JournalChunk {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    const chunk: JournalChunk = { lines: [] };
    for (const line of lines) {
      this.lineNumber++;
      if (this.header === undefined) {
        this.header = parseJournal(line + '\n', this.file).header;
        chunk.header = this.header;
        continue;
      }
      if (line.trim() === '') continue;
      try {
        chunk.lines.push({ event: parseEventLine(line, this.file, this.lineNumber) });
      } catch (error) {
        if (!isBatonError(error)) throw error;
        chunk.lines.push({ skipped: `${error.located} [${error.code}]` });
      }
    }
    return chunk;
  }

  /** A last line the writer never ended (it was killed mid-line). */
  get unfinished(): boolean {
    return this.pending !== '';
  }
}
