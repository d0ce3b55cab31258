import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Transport } from '../transport/transport.ts';
import type { Block } from './block.ts';
import { shellQuote } from '../transport/shell-script.ts';
import { moduleCommand } from './module-block.ts';

/** A block made ready to run on a host: its command line, its environment, and how to fetch its results back. */
export interface PreparedBlock {
  command: string;
  env: Record<string, string>;
  /** Fetch the task's data folder and whiteboard from the host into the local task folder. */
  collect(localDir: string): Promise<void>;
}

/**
 * Give the task a work folder on the host (`out/data` is BATON_TASK_DIR, `out/whiteboard` is BATON_WHITEBOARD),
 * ship what the block needs, and build the command that runs it.
 */
export async function prepareBlock(
  transport: Transport,
  block: Block,
  context: { taskId: string; env: Record<string, string> },
): Promise<PreparedBlock> {
  const root = await transport.makeTempDir(`baton-${context.taskId.replace(/[^A-Za-z0-9]+/g, '-')}-`);
  const out = `${root}/out`;
  const env = { ...context.env, BATON_TASK_DIR: `${out}/data`, BATON_WHITEBOARD: `${out}/whiteboard` };
  const prologue = `mkdir -p ${shellQuote(`${out}/data`)} && `;
  const command = prologue + (await blockCommand(transport, block, `${root}/ship`));
  return { command, env, collect: (localDir) => collect(transport, out, localDir) };
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

/** Bring `out/` back as `<task>/data/` and `<task>/whiteboard`, next to the files the results writer keeps there. */
async function collect(transport: Transport, out: string, localDir: string): Promise<void> {
  const landing = join(localDir, '.fetched');
  mkdirSync(localDir, { recursive: true });
  if (!(await transport.download(out, landing))) return;
  for (const entry of ['data', 'whiteboard']) {
    const fetched = join(landing, entry);
    if (!existsSync(fetched)) continue;
    rmSync(join(localDir, entry), { recursive: true, force: true });
    renameSync(fetched, join(localDir, entry));
  }
  rmSync(landing, { recursive: true, force: true });
}
