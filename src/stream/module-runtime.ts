import { appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StreamGroup } from './group.ts';
import type { NestedStreams } from './nested.ts';
import type { StreamHandle } from '../controller/stream-handle.ts';
import type { GroupMember } from './group.ts';

/** What a module block's exported function receives, built on the host from the block's environment. */
export interface BlockContext {
  /** The current variant's params: `get(key, default)`. */
  params: { get<T = unknown>(key: string, defaultValue?: T): T | undefined; all(): Record<string, unknown> };
  /** The variant id, or undefined outside a variant. */
  variant: string | undefined;
  /** The task's data folder on the host; its files come back as the task's `data/`. */
  dataDir: string;
  whiteboard: { write(text: string): void; append(text: string): void };
  env: Record<string, string | undefined>;
  log: (...parts: unknown[]) => void;
  /**
   * Open a stream from inside the block (`local`, `pty`, `ssh://...`); its results nest in this task's folder
   * and come back with it. Streams still open when the function returns are closed.
   */
  open: (name: string, host?: string) => Promise<StreamHandle>;
  group: (streams: readonly GroupMember[]) => StreamGroup;
}

/** Run an exported function of a bundled module block; exit 0 when it resolves, 1 with the error on stderr when not. */
export async function runModuleBlock(
  blockModule: Record<string, unknown>,
  exportName: string,
): Promise<void> {
  const fn = blockModule[exportName];
  if (typeof fn !== 'function') {
    process.stderr.write(`baton: BLOCK_NO_EXPORT: export '${exportName}' is not a function\n`);
    process.exit(2);
  }
  const env = process.env;
  const params = JSON.parse(env.BATON_PARAMS ?? '{}') as Record<string, unknown>;
  const whiteboardPath = env.BATON_WHITEBOARD ?? 'whiteboard';
  const context: BlockContext = {
    params: {
      get: <T>(key: string, defaultValue?: T) =>
        Object.hasOwn(params, key) ? (params[key] as T) : defaultValue,
      all: () => ({ ...params }),
    },
    variant: env.BATON_VARIANT,
    dataDir: env.BATON_TASK_DIR ?? process.cwd(),
    whiteboard: {
      write: (text) => writeFileSync(whiteboardPath, text),
      append: (text) => appendFileSync(whiteboardPath, text),
    },
    env,
    log: (...parts) => process.stderr.write(parts.map(String).join(' ') + '\n'),
    open: async (name, host) => (nested ??= await nestedStreams(env)).open(name, host),
    group: (streams) => new StreamGroup(streams),
  };
  let nested: NestedStreams | undefined;
  try {
    await (fn as (context: BlockContext) => unknown)(context);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await nested?.close();
  }
}

/** Loaded on first use, so that a block that opens no stream carries no transport code into its run. */
async function nestedStreams(env: Record<string, string | undefined>): Promise<NestedStreams> {
  const { NestedStreams } = await import('./nested.ts');
  const inherited = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        /^BATON_(SYNC|PARAM|VARIANT)/.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  return new NestedStreams(dirname(env.BATON_TASK_DIR ?? join(process.cwd(), 'data')), inherited);
}
