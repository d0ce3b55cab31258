import type { Registry } from '../registry.ts';

/** The core commands (no terminal UI), in the order `baton --help` lists them; each module loads on use. */
export const CORE_COMMANDS: Registry = [
  {
    name: 'run',
    summary: 'Run TypeScript scenarios once per selected variant',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'replay',
    summary: 'Replay session scripts, headless or stepped',
    load: async () => (await import('./replay.ts')).replayCommand,
  },
  {
    name: 'cast',
    summary: "Write a finished job's streams as asciicast v2 transcripts",
    load: async () => (await import('./cast.ts')).castCommand,
  },
  {
    name: 'repl',
    summary: 'A line-mode console on the same commands, with recording',
    load: async () => (await import('./repl.ts')).replCommand,
  },
  {
    name: 'variants',
    summary: 'Show, check and export the variants of a multiplex tree',
    load: async () => (await import('./variants.ts')).variantsCommand,
  },
  {
    name: 'sync',
    summary: 'Serve barriers, or wait, abort and inspect them from a shell',
    load: async () => (await import('./sync.ts')).syncCommand,
  },
];
