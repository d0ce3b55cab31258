import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT } from '../../errors.ts';
import { writeCasts } from '../../session/cast.ts';
import type { Command } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';

const USAGE = [
  'baton cast RESULTS_DIR...',
  '',
  "  RESULTS_DIR  a finished job's folder (results/<job>, or results/latest)",
  '',
  'Writes RESULTS_DIR/casts/<stream>.cast for each stream of the job from its journal: asciicast v2',
  '(`asciinema play`), a marker per step and per barrier release, typed input left out.',
].join('\n');

export const castCommand: Command = {
  name: 'cast',
  summary: "Write a finished job's streams as asciicast v2 transcripts",
  usage: USAGE,
  run(args, io) {
    const { positionals } = parseOptions('cast', args, {});
    if (positionals.length === 0) throw usageError('give a job folder (results/<job>)', 'cast');
    for (const folder of positionals) {
      const dir = resolve(io.cwd, folder);
      if (!existsSync(join(dir, 'journal.jsonl')))
        throw usageError(`${folder}: no journal.jsonl there: not a job folder`, 'cast');
    }
    for (const folder of positionals)
      for (const path of writeCasts(resolve(io.cwd, folder), io.env))
        writeLine(io.stdout, relative(io.cwd, path) || path);
    return Promise.resolve(EXIT.ok);
  },
};
