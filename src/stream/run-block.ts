import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ExecResult, Transport } from '../transport/transport.ts';
import { shellQuote } from '../transport/shell-script.ts';
import type { Block } from './block.ts';
import { moduleCommand } from './module-block.ts';
import type { TaskArea } from './task-area.ts';

/** A block made ready to run on a host: its command line, its environment, and how to fetch its results back. */
export interface PreparedBlock {
  command: string;
  env: Record<string, string>;
  /** Paths to probe when the command ends: the data folder and the whiteboard. */
  probe: string[];
  /** Fetch the task's data folder and whiteboard into the local task folder, only what the probe found. */
  collect(localDir: string, result: ExecResult): Promise<void>;
  /** The command has ended: a task folder it left empty goes to a later task of the stream. */
  ended(result: ExecResult): void;
}

/** Give the task its folders on the host, ship what the block needs, and build the command that runs it. */
export async function prepareBlock(
  transport: Transport,
  area: TaskArea,
  block: Block,
  context: { index: number; env: Record<string, string> },
): Promise<PreparedBlock> {
  const folders = await area.folders(context.index);
  const env = { ...context.env, BATON_TASK_DIR: folders.data, BATON_WHITEBOARD: folders.whiteboard };
  const command = await blockCommand(transport, block, folders.ship);
  // The probe cannot tell an empty data folder from one its task removed: a reused one is made again if need be.
  const ensureData = folders.reused ? '[ -d "$BATON_TASK_DIR" ] || mkdir -p "$BATON_TASK_DIR"; ' : '';
  return {
    command: `${ensureData}${command}`,
    env,
    probe: [folders.data, folders.whiteboard, `${folders.task}/streams`],
    collect: (localDir, result) => collect(transport, folders, localDir, result.present),
    ended: (result) => {
      if (result.present?.every((present) => !present)) folders.release();
    },
  };
}

async function blockCommand(transport: Transport, block: Block, ship: string): Promise<string> {
  if (block.kind === 'sh') return block.command;
  if (block.kind === 'module') return moduleCommand(transport, block, ship);
  const remoteScript = `${ship}/${basename(block.path)}`;
  await transport.upload(block.path, remoteScript);
  const dataFolder = `${block.path}.data`;
  if (existsSync(dataFolder) && statSync(dataFolder).isDirectory()) {
    await transport.upload(dataFolder, `${remoteScript}.data`);
  }
  const run = [remoteScript, ...block.args].map(shellQuote).join(' ');
  return `chmod +x ${shellQuote(remoteScript)} && ${run}`;
}

/**
 * Bring the task's `data/`, `whiteboard` and the results of the streams it opened (`streams/`, `journal.jsonl`,
 * `job.log`) back next to the files the results writer keeps there. With a probe answer only what exists is
 * fetched (usually nothing: no round trip); without one, the whole folder.
 */
async function collect(
  transport: Transport,
  folders: { task: string; data: string },
  localDir: string,
  present: boolean[] | undefined,
): Promise<void> {
  const [hasData = true, hasWhiteboard = true, hasStreams = true] = present ?? [];
  if (!hasData && !hasWhiteboard && !hasStreams) return;
  mkdirSync(join(localDir, 'data'), { recursive: true, mode: 0o700 });
  if (!hasWhiteboard && !hasStreams) {
    await transport.download(folders.data, join(localDir, 'data'));
    return;
  }
  const landing = join(localDir, '.fetched');
  if (!(await transport.download(folders.task, landing))) return;
  for (const entry of ['data', 'whiteboard', 'streams', 'journal.jsonl', 'job.log']) {
    const fetched = join(landing, entry);
    if (!existsSync(fetched)) continue;
    rmSync(join(localDir, entry), { recursive: true, force: true });
    renameSync(fetched, join(localDir, entry));
  }
  rmSync(landing, { recursive: true, force: true });
}
