// Tests that start the real `baton` run the built program, as users do: build dist/ once before any test.
import { buildDist } from './scripts/build.js';

await buildDist({ keep: true });

export default {
  extensions: { ts: 'module', tsx: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  timeout: '120s',
};
