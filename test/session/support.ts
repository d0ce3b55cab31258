import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseScript } from '../../src/session/parse.ts';
import type { ReplayOptions } from '../../src/session/replay.ts';
import { replayScript } from '../../src/session/replay.ts';
import { startController } from '../controller/support.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** Read a file's text, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Write a script (lines) into a scratch folder and parse it; fails the test on parse errors. */
export function scriptFile(lines: string[], name = 'main.baton'): { dir: string; path: string } {
  const dir = scratchDir('baton-session-');
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return { dir, path };
}

/** Replay a script file on a controller of a real job; `close()` takes the job down. */
export async function replayFile(path: string, options: Partial<ReplayOptions> = {}) {
  const { script, errors } = parseScript(path, { read: readText, displayName: (file) => basename(file) });
  if (errors.length > 0) throw new Error(errors.map((error) => error.message).join('\n'));
  const job = await startController();
  const outcomes = await replayScript({
    controller: job.controller,
    script,
    env: {},
    displayName: (file) => basename(file),
    ...options,
  });
  return { ...job, outcomes };
}
