import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../src/errors.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

// Fails unless the library it imports is the one running it (one StreamHandle class, not two copies).
const SCENARIO = `import { StreamHandle, TOOL_VERSION } from 'baton-lab';
import type { ScenarioContext } from 'baton-lab';

export default async function ({ open }: ScenarioContext): Promise<void> {
  const stream = await open('one', 'local');
  if (!(stream instanceof StreamHandle)) throw new Error('the scenario got a second copy of baton-lab');
  await stream.runFg(\`echo baton-lab \${TOOL_VERSION}\`);
}
`;

/** A scenario in a folder of its own, with no node_modules anywhere above it. */
function lonelyScenario(): { folder: string; file: string } {
  const folder = scratchDir('baton-lonely-scenario-');
  const file = join(folder, 'scenario.ts');
  writeFileSync(file, SCENARIO);
  return { folder, file };
}

test("a scenario outside the repository imports 'baton-lab' as the running baton (built program)", (t) => {
  const { folder, file } = lonelyScenario();
  const run = spawnSync(process.execPath, [bin, 'run', file, '--results', join(folder, 'results')], {
    cwd: folder,
    encoding: 'utf8',
  });
  t.is(run.status, EXIT.ok, run.stdout + run.stderr);
  t.regex(run.stdout, /^PASS /m);
});

test("a scenario outside the repository imports 'baton-lab' as the running baton (sources)", async (t) => {
  const { folder, file } = lonelyScenario();
  const run = await runCli(['run', file, '--results', join(folder, 'results')], { cwd: folder });
  t.is(run.code, EXIT.ok, run.stdout + run.stderr);
  t.regex(run.stdout, /^PASS /m);
});
