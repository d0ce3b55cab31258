import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../errors.ts';

/** The modes of a results folder's files and folders. Owner-only unless the user asks (session spec S3). */
export interface ResultsMode {
  file: number;
  folder: number;
}

export const OWNER_ONLY: ResultsMode = { file: 0o600, folder: 0o700 };

const NAMED: Record<string, ResultsMode> = {
  'owner-only': OWNER_ONLY,
  'group-readable': { file: 0o640, folder: 0o750 },
  'world-readable': { file: 0o644, folder: 0o755 },
};

/**
 * `--results-mode`: owner-only, group-readable, world-readable, or the octal mode of files (`640`, `0644`);
 * folders get `x` wherever files get `r`. Nobody but the owner may ever write.
 */
export function parseResultsMode(text: string): ResultsMode {
  const named = NAMED[text];
  if (named) return named;
  if (!/^0?[0-7]{3}$/.test(text))
    throw new BatonError(
      'USAGE',
      `--results-mode takes owner-only, group-readable, world-readable or an octal mode like 640, got '${text}'`,
    );
  const file = Number.parseInt(text, 8);
  if ((file & 0o600) !== 0o600 || (file & 0o022) !== 0)
    throw new BatonError('USAGE', `--results-mode ${text}: the owner reads and writes, nobody else writes`);
  const folder = file | 0o100 | ((file & 0o040) >> 2) | ((file & 0o004) >> 2);
  return { file, folder };
}

/** Give every file and folder under `root` (and `root`) its mode; links are left alone. */
export function applyResultsMode(root: string, mode: ResultsMode): void {
  const stat = lstatSync(root);
  if (stat.isSymbolicLink()) return;
  // An executable (a fetched script) stays executable wherever it is readable.
  if (!stat.isDirectory()) return chmodSync(root, stat.mode & 0o100 ? mode.folder : mode.file);
  chmodSync(root, mode.folder);
  for (const entry of readdirSync(root)) applyResultsMode(join(root, entry), mode);
}
