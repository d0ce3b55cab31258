import { closeSync, openSync, writeSync } from 'node:fs';

/** Descriptors an open-file set keeps at most, unless told otherwise. */
export const DEFAULT_MAX_OPEN_FILES = 64;

/**
 * Appends to files through a bounded set of open descriptors: a file gets a descriptor when it is written, and
 * the one written least recently gives its descriptor up when the set is full. Files are made owner-only.
 */
export class OpenFiles {
  readonly limit: number;
  /** Open descriptors by path, least recently written first (a Map keeps insertion order). */
  private readonly fds = new Map<string, number>();

  constructor(limit = DEFAULT_MAX_OPEN_FILES) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`expected a limit of 1 or more, got ${limit}`);
    this.limit = limit;
  }

  /** Descriptors open now (never more than `limit`). */
  get size(): number {
    return this.fds.size;
  }

  append(path: string, data: string | Uint8Array): void {
    const fd = this.descriptor(path);
    try {
      if (typeof data === 'string') writeSync(fd, data);
      else writeSync(fd, data);
    } catch (error) {
      this.close(path);
      throw withPath(error, path);
    }
  }

  close(path: string): void {
    const fd = this.fds.get(path);
    if (fd === undefined) return;
    this.fds.delete(path);
    closeSync(fd);
  }

  closeAll(): void {
    for (const path of [...this.fds.keys()]) this.close(path);
  }

  private descriptor(path: string): number {
    const open = this.fds.get(path);
    if (open !== undefined) {
      this.fds.delete(path);
      this.fds.set(path, open);
      return open;
    }
    if (this.fds.size >= this.limit) this.close(this.fds.keys().next().value as string);
    const fd = openOwnerOnly(path, () => this.closeAll());
    this.fds.set(path, fd);
    return fd;
  }
}

/** Open for appending; when the process is out of descriptors, give back ours and try once more. */
function openOwnerOnly(path: string, release: () => void): number {
  try {
    return openSync(path, 'a', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EMFILE' && code !== 'ENFILE') throw error;
    release();
    return openSync(path, 'a', 0o600);
  }
}

function withPath(error: unknown, path: string): unknown {
  if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined)
    Object.assign(error, { path });
  return error;
}
