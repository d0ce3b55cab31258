import { relative, sep } from 'node:path';
import type { JournalEvent } from '../journal/events.ts';

/** How many bytes of each task's stdout and of its stderr `journal.jsonl` keeps inline. @default 64 KiB */
export const INLINE_OUTPUT_BYTES = 64 * 1024;

/**
 * Output events as `journal.jsonl` keeps them. The task's stdout and stderr files hold every byte; the journal
 * holds each task's first INLINE_OUTPUT_BYTES per fd inline and, beyond them, an event whose `spilled` names
 * the byte range of that file, so that large output is not stored twice. Live subscribers still get the data.
 */
export class OutputSpill {
  private readonly root: string;
  private readonly inlineBytes: number;
  private readonly folders = new Map<string, string>();
  private readonly written = new Map<string, number>();

  constructor(root: string, inlineBytes = INLINE_OUTPUT_BYTES) {
    this.root = root;
    this.inlineBytes = inlineBytes;
  }

  /** Learn a task's folder when it is queued (`taskDir` gives its path, below the root). */
  queued(task: string, dir: string): void {
    const below = dir.startsWith(this.root + sep)
      ? dir.slice(this.root.length + 1)
      : relative(this.root, dir);
    this.folders.set(task, below);
  }

  /** The form of `event` for the journal file. */
  journalForm(event: JournalEvent): JournalEvent {
    if (event.kind === 'task-end') {
      this.folders.delete(event.task);
      this.written.delete(`stdout ${event.task}`);
      this.written.delete(`stderr ${event.task}`);
      return event;
    }
    if (event.kind !== 'output') return event;
    const folder = this.folders.get(event.task);
    const key = `${event.fd} ${event.task}`;
    const offset = this.written.get(key) ?? 0;
    const length = Buffer.byteLength(event.data, event.encoding === 'base64' ? 'base64' : 'utf8');
    this.written.set(key, offset + length);
    if (folder === undefined || offset + length <= this.inlineBytes) return event;
    const { data: _data, encoding: _encoding, ...rest } = event;
    return { ...rest, data: '', spilled: { file: `${folder}/${event.fd}`, offset, length } };
  }
}
