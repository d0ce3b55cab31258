import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch.ts';

/** A scratch folder holding `files` (scenarios, trees, hosts files), and where its results go. */
export function lab(files: Record<string, string>): { dir: string; results: string } {
  const dir = scratchDir('baton-report-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, results: join(dir, 'results') };
}

/** A scenario body that opens stream `a` locally and runs `command` there. */
export function runsCommand(command: string): string {
  return `export default async function ({ open }) {\n  const s = await open('a', 'local');\n  await s.runFg(${JSON.stringify(command)});\n}\n`;
}

export const TREE = 'run: !mux\n  small:\n    size: 1\n  large:\n    size: 1000\n';
