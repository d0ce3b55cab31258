import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BatonError } from '../errors.ts';
import type { JournalEvent, JournalHeader } from './events.ts';
import type { Disposable, Journal } from './journal.ts';

/**
 * Appends a journal to a file: the header line, then one JSON line per event, written to the kernel before
 * `write` returns, so a crash of the process loses nothing already emitted; or gathered by `append` and
 * written together by the next `flush`, `write` or `dispose`.
 */
export class JournalWriter implements Disposable {
  readonly path: string;
  private fd: number | undefined;
  private subscription: Disposable | undefined;
  /** Lines appended and not written yet. */
  private gathered = '';

  constructor(path: string, header: JournalHeader) {
    this.path = path;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.fd = openSync(path, 'a', 0o600);
    } catch (error) {
      throw new BatonError(
        'JOURNAL_WRITE_FAILED',
        `cannot open journal ${path}`,
        { file: path },
        { cause: error },
      );
    }
    this.gathered = JSON.stringify(header) + '\n';
    this.flush();
  }

  write(event: JournalEvent): void {
    this.append(event);
    this.flush();
  }

  /** Gather an event's line, for the next flush. */
  append(event: JournalEvent): void {
    if (this.fd !== undefined) this.gathered += JSON.stringify(event) + '\n';
  }

  /** Write the lines gathered, with one write. */
  flush(): void {
    if (this.fd === undefined || this.gathered === '') return;
    const text = this.gathered;
    this.gathered = '';
    try {
      writeSync(this.fd, text);
    } catch (error) {
      throw new BatonError(
        'JOURNAL_WRITE_FAILED',
        `cannot append to journal ${this.path}`,
        { file: this.path },
        { cause: error },
      );
    }
  }

  /** Write every event of a live journal from now on. */
  follow(journal: Journal): this {
    this.subscription?.dispose();
    this.subscription = journal.subscribe((event) => this.write(event));
    return this;
  }

  /** Stop following, flush to the disk and close; later writes are ignored. */
  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    if (this.fd === undefined) return;
    const fd = this.fd;
    try {
      this.flush();
    } finally {
      this.fd = undefined;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
}

/** Record a live journal into a file until the returned writer is disposed. */
export function recordJournal(journal: Journal, path: string): JournalWriter {
  return new JournalWriter(path, journal.header).follow(journal);
}
