import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BatonError } from '../../src/errors.ts';

/** The journal of a job folder, of the `latest` job of a results folder, or of `<cwd>/results/latest`. */
export function locateJournal(cwd: string, folder: string | undefined): string {
  const base = resolve(cwd, folder ?? join('results', 'latest'));
  if (!existsSync(base) || !statSync(base).isDirectory()) {
    throw new BatonError('FILE_NOT_FOUND', `no results folder ${base}`, { file: base });
  }
  for (const candidate of [join(base, 'journal.jsonl'), join(base, 'latest', 'journal.jsonl')]) {
    // `latest` is a link: follow the job it names now, not whichever job it names later.
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  throw new BatonError('FILE_NOT_FOUND', `no journal.jsonl in ${base}: not a job's results folder`, {
    file: base,
  });
}
