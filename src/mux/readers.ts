/**
 * File readers for the loader: the file system (the CLI) and an in-memory map (tests, embedding). The
 * loader itself never touches the file system. The file-system reader is bounded: it refuses what is not a
 * regular file before reading a byte, and stops reading at the cap, so a device or a growing file never
 * costs more memory than the cap.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { MuxFileReader } from './load.ts';
import { ReadRefused } from './read-refused.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const CHUNK = 64 * 1024;

/** Reads files relative to `base`; undefined for a missing file, an error for a directory or bad UTF-8. */
export function fileReader(base: string): MuxFileReader {
  const resolve = (path: string) => (isAbsolute(path) ? path : join(base, path));
  return {
    readText(path, maxBytes = Number.MAX_SAFE_INTEGER) {
      let fd: number;
      try {
        fd = openSync(resolve(path), constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      let bytes: Buffer;
      try {
        bytes = readBounded(fd, maxBytes);
      } finally {
        closeSync(fd);
      }
      try {
        return decoder.decode(bytes);
      } catch {
        throw new Error('the file is not valid UTF-8');
      }
    },
  };
}

// Read an open regular file to its end, refusing at maxBytes + 1 bytes; the size stat gives is only a hint.
function readBounded(fd: number, maxBytes: number): Buffer {
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    const kind = stat.isDirectory()
      ? 'a directory'
      : stat.isFIFO()
        ? 'a pipe'
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? 'a device'
          : stat.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw new ReadRefused('not-regular', `it is ${kind}, not a regular file`);
  }
  if (stat.size > maxBytes) throw new ReadRefused('too-large', 'too large', stat.size);
  const limit = maxBytes + 1;
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(stat.size + 1, CHUNK)));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) throw new ReadRefused('too-large', 'too large', length);
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
  }
  if (length > maxBytes) throw new ReadRefused('too-large', 'too large', length);
  return buffer.subarray(0, length);
}

/** Reads from a map of path to text (paths as the loader forms them: `dir/file.yaml`). */
export function memoryReader(files: Record<string, string>): MuxFileReader {
  return { readText: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) };
}
