/**
 * File readers for the loader: the file system (the CLI) and an in-memory map (tests, embedding). The
 * loader itself never touches the file system.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { MuxFileReader } from './load.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads files relative to `base`; undefined for a missing file, an error for a directory or bad UTF-8. */
export function fileReader(base: string): MuxFileReader {
  const resolve = (path: string) => (isAbsolute(path) ? path : join(base, path));
  return {
    sizeOf(path) {
      try {
        return statSync(resolve(path)).size;
      } catch {
        return undefined;
      }
    },
    readText(path) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(resolve(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        return decoder.decode(bytes);
      } catch {
        throw new Error('the file is not valid UTF-8');
      }
    },
  };
}

/** Reads from a map of path to text (paths as the loader forms them: `dir/file.yaml`). */
export function memoryReader(files: Record<string, string>): MuxFileReader {
  return { readText: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) };
}
