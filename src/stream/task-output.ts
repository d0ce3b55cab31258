import type { Journal } from '../journal/journal.ts';
import { OutputDecoder } from './output.ts';
import { OutputTail } from './tail.ts';

type Fd = 'stdout' | 'stderr';

/**
 * A task's output on its way to the journal: one streaming UTF-8 decoder per fd (a character split across
 * chunks stays text) and the last lines of each, for failure messages.
 */
export class TaskOutput {
  private readonly decoders = { stdout: new OutputDecoder(), stderr: new OutputDecoder() };
  private readonly tails = { stdout: new OutputTail(), stderr: new OutputTail() };
  private readonly journal: Journal;
  private readonly stream: string;
  private readonly task: string;

  constructor(journal: Journal, stream: string, task: string) {
    this.journal = journal;
    this.stream = stream;
    this.task = task;
  }

  push(fd: Fd, chunk: Buffer): void {
    this.emit(fd, this.decoders[fd].push(chunk));
  }

  /** Flush what a decoder still holds (an incomplete character at the very end). */
  end(): void {
    this.emit('stdout', this.decoders.stdout.end());
    this.emit('stderr', this.decoders.stderr.end());
  }

  /** The last lines of stderr, or of stdout when stderr is empty (a terminal merges both into stdout). */
  tail(): string[] {
    const stderr = this.tails.stderr.lines();
    return stderr.length > 0 ? stderr : this.tails.stdout.lines();
  }

  private emit(fd: Fd, pieces: readonly { data: string; encoding?: 'base64' }[]): void {
    for (const piece of pieces) {
      if (piece.encoding === undefined) this.tails[fd].push(piece.data);
      this.journal.emit({ kind: 'output', stream: this.stream, task: this.task, fd, ...piece });
    }
  }
}
