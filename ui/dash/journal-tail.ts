import { closeSync, openSync, readSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { errorMessage, isBatonError } from '../../src/errors.ts';
import type { JournalChunk } from './journal-lines.ts';
import { JournalLines } from './journal-lines.ts';

/** How often a followed journal is read even when no change was signalled (a watch can miss one). */
const POLL_MS = 500;
const READ_SIZE = 1 << 20;

/**
 * A journal file read from where the last read stopped: `readNew()` for what was appended since, `follow()` to
 * be called on each append (a file watch, with a slow poll as a safety net).
 */
export class JournalTail {
  private readonly fd: number;
  private offset = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines: JournalLines;
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  readonly path: string;

  /** `name` is how messages name the file; throws the error of `openSync`. */
  constructor(path: string, name = path) {
    this.path = path;
    this.fd = openSync(path, 'r');
    this.lines = new JournalLines(name);
  }

  readNew(): JournalChunk {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    let text = '';
    for (;;) {
      const read = readSync(this.fd, buffer, 0, READ_SIZE, this.offset);
      if (read === 0) break;
      this.offset += read;
      text += this.decoder.write(buffer.subarray(0, read));
    }
    return this.lines.feed(text);
  }

  /** Call `onAppend` with each chunk appended from now on, until `close()`. */
  follow(onAppend: (chunk: JournalChunk) => void): void {
    const check = () => {
      let chunk: JournalChunk;
      try {
        chunk = this.readNew();
      } catch (error) {
        chunk = {
          lines: [
            { skipped: isBatonError(error) ? `${error.located} [${error.code}]` : errorMessage(error) },
          ],
        };
      }
      if (chunk.header || chunk.lines.length > 0) onAppend(chunk);
    };
    this.watcher = watch(this.path, check);
    this.watcher.on('error', () => this.watcher?.close());
    this.poll = setInterval(check, POLL_MS);
  }

  close(): void {
    this.watcher?.close();
    clearInterval(this.poll);
    closeSync(this.fd);
  }
}
