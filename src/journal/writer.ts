import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BatonError } from '../errors.ts';
import type { JournalEvent, JournalHeader } from './events.ts';
import type { Disposable, Journal } from './journal.ts';

/**
 * Appends a journal to a file: the header line, then one JSON line per event, each written to the kernel
 * before `write` returns, so a crash of the process loses nothing already emitted.
 */
export class JournalWriter implements Disposable {
  readonly path: string;
  private fd: number | undefined;
  private subscription: Disposable | undefined;

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
    this.line(header);
  }

  write(event: JournalEvent): void {
    this.line(event);
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
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private line(record: object): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, JSON.stringify(record) + '\n');
    } catch (error) {
      throw new BatonError(
        'JOURNAL_WRITE_FAILED',
        `cannot append to journal ${this.path}`,
        { file: this.path },
        { cause: error },
      );
    }
  }
}

/** Record a live journal into a file until the returned writer is disposed. */
export function recordJournal(journal: Journal, path: string): JournalWriter {
  return new JournalWriter(path, journal.header).follow(journal);
}
