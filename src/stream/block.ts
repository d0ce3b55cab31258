import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { BatonError } from '../errors.ts';

/** A unit of code a stream runs: a command line, a local script shipped to the host, or an exported function. */
export type Block =
  | { kind: 'sh'; name: string; command: string; hidden?: boolean }
  | { kind: 'script'; name: string; path: string; args: string[]; hidden?: boolean }
  | { kind: 'module'; name: string; path: string; exportName: string; hidden?: boolean };

export type BlockRef = string | Block;

export interface BlockOptions {
  /** The name of the block's task folders and of the block in records. @default derived from the block */
  name?: string;
  /** Hidden blocks are not listed by runners; they run only when referenced by their full name. */
  hidden?: boolean;
}

/** A command line for the host's shell. */
export function sh(command: string, options: BlockOptions = {}): Block {
  return { kind: 'sh', name: options.name ?? commandName(command), command, ...hiddenFlag(options) };
}

/** A local file shipped to the host (with its `<file>.data/` folder when present) and run there. */
export function script(path: string, args: string[] = [], options: BlockOptions = {}): Block {
  return {
    kind: 'script',
    name: options.name ?? safeName(basename(path)),
    path,
    args,
    ...hiddenFlag(options),
  };
}

/** `file#exportName`: an exported async function of a JS/TS module, run by node on the host. */
export function module(reference: string, options: BlockOptions = {}): Block {
  const hash = reference.lastIndexOf('#');
  if (hash <= 0 || hash === reference.length - 1) {
    throw new BatonError('BLOCK_NOT_FOUND', `a module block is written file#export, got '${reference}'`, {
      block: reference,
    });
  }
  const path = reference.slice(0, hash);
  const exportName = reference.slice(hash + 1);
  return {
    kind: 'module',
    name: options.name ?? safeName(exportName),
    path,
    exportName,
    ...hiddenFlag(options),
  };
}

/**
 * Resolve a string reference the way the spec says: `file#export` is a module, an existing local file is a
 * script, anything else is a command line. Relative paths are resolved against `cwd`.
 */
export function resolveBlock(reference: BlockRef, cwd = process.cwd()): Block {
  if (typeof reference !== 'string') return absolutize(reference, cwd);
  const moduleMatch = /^(\S+\.(?:[cm]?[jt]s|tsx))#([A-Za-z_$][\w$]*)$/.exec(reference);
  if (moduleMatch) return absolutize(module(reference), cwd);
  const candidate = resolve(cwd, reference);
  if (!/\s/.test(reference) && existsSync(candidate) && statSync(candidate).isFile())
    return script(candidate);
  return sh(reference);
}

/** Check that the files a block needs exist locally, before anything is queued on a host. */
export function checkBlockFiles(block: Block): void {
  if (block.kind === 'sh') return;
  if (!existsSync(block.path) || !statSync(block.path).isFile()) {
    throw new BatonError('BLOCK_NOT_FOUND', `block file not found: ${block.path}`, {
      block: block.name,
      file: block.path,
    });
  }
}

/** A human label: what ran, in one line. */
export function describeBlock(block: Block): string {
  if (block.kind === 'sh') return block.command;
  if (block.kind === 'script') return [block.path, ...block.args].join(' ');
  return `${block.path}#${block.exportName}`;
}

function absolutize(block: Block, cwd: string): Block {
  if (block.kind === 'sh' || isAbsolute(block.path)) return block;
  return { ...block, path: resolve(cwd, block.path) };
}

function hiddenFlag(options: BlockOptions): { hidden?: boolean } {
  return options.hidden ? { hidden: true } : {};
}

/** The first word of a command line, made safe for a folder name: `netserver -D` → `netserver`. */
function commandName(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? '';
  return safeName(basename(first)) || 'sh';
}

/** Keep names short and portable for folder names. */
export function safeName(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 48);
}

/** A command on one line, at most `width` characters: its first line, a `…` where it was cut. */
export function shortCommand(command: string, width = 60): string {
  const lines = command.trim().split('\n');
  const first = (lines[0] ?? '').replace(/\s+/g, ' ');
  const more = lines.length > 1;
  if (first.length <= width && !more) return first;
  return `${first.slice(0, Math.max(1, width - 2)).trimEnd()} …`;
}

/**
 * A block as messages name it: a command line named after its first word is quoted (shortened), since that word
 * alone says little; a block named by its author, a script or a module is named.
 */
export function blockLabel(block: Block): string {
  const derived =
    block.kind === 'sh' && block.name === commandName(block.command) && block.command.trim() !== block.name;
  return derived ? `\`${shortCommand(block.command)}\`` : block.name;
}
