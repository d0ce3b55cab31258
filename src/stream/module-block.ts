import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError } from '../errors.ts';
import type { Transport } from '../transport/transport.ts';
import type { Block } from './block.ts';
import { shellQuote } from '../transport/shell-script.ts';
import { LIBRARY_NAME } from '../scenario/scenario-imports.ts';

type ModuleBlock = Extract<Block, { kind: 'module' }>;

// The runtime beside this module: module-runtime.ts in the sources, module-runtime.js in the build.
const runtimePath = fileURLToPath(new URL(`./module-runtime${extname(import.meta.url)}`, import.meta.url));
// A block imports the library by its npm name from any folder, as a scenario does: bound to this baton's own.
const libraryAlias = {
  [LIBRARY_NAME]: fileURLToPath(new URL(`../index${extname(import.meta.url)}`, import.meta.url)),
};

/** The oldest Node.js major a module block runs on; the command exits 127 on a host without it. */
export const MIN_NODE_MAJOR = 20;
/** Exit status of a module block's command when the host has no node (or one too old): the shell's "not found". */
export const NEEDS_NODE_EXIT = 127;

/** What a module block asks of its host, for the message of BLOCK_NEEDS_NODE. */
export function nodeRequirement(): string {
  return (
    `needs Node.js ${MIN_NODE_MAJOR} or newer on the host to run a module block (the controller runs ` +
    `${process.version}): node is not in the host's PATH, or is older`
  );
}

/** Said on the host's stderr before any of the block runs, so the task's tail tells which of the two it was. */
const NO_NODE_LINE = `baton: BLOCK_NEEDS_NODE: a module block needs Node.js ${MIN_NODE_MAJOR} or newer; node is not in PATH`;
const OLD_NODE_CHECK =
  `if (Number(process.versions.node.split('.')[0]) < ${MIN_NODE_MAJOR}) { ` +
  `process.stderr.write('baton: BLOCK_NEEDS_NODE: a module block needs Node.js ${MIN_NODE_MAJOR} or newer; this host has Node.js ' + process.versions.node + '\\n'); ` +
  `process.exit(${NEEDS_NODE_EXIT}); }`;
/** Native and optional packages stay out of a bundle; they load only if the block's code path needs them. */
const nativeExternals = ['@lydell/node-pty', 'esbuild', 'cpu-features', '*.node'];
/** Bundles in memory by `path#export@mtime`: a block is bundled once per version of its file. */
const bundles = new Map<string, Promise<Uint8Array>>();

/**
 * Bundle a module block with its imports and Baton's block runtime into one ESM file, ship it, and return the
 * command that runs it with node on the host. The export is checked here, before anything reaches the host.
 */
export async function moduleCommand(transport: Transport, block: ModuleBlock, ship: string): Promise<string> {
  const { key, bundle } = bundleModule(block);
  const shipped = shippedBundles.get(transport) ?? new Map<string, Promise<string>>();
  shippedBundles.set(transport, shipped);
  let remote = shipped.get(key);
  if (!remote) {
    const path = `${ship}/block.mjs`;
    remote = bundle.then((code) => upload(transport, code, path)).then(() => path);
    shipped.set(key, remote);
    remote.catch(() => shipped.delete(key));
  }
  const path = shellQuote(await remote);
  // Commands run in a subshell of the stream's shell: `exit` ends only this task.
  return `if command -v node >/dev/null 2>&1; then node ${path}; else printf '%s\\n' ${shellQuote(NO_NODE_LINE)} >&2; exit ${NEEDS_NODE_EXIT}; fi`;
}

/** A bundle goes to a host once per transport; later tasks run the copy already there (it lives until close). */
const shippedBundles = new WeakMap<Transport, Map<string, Promise<string>>>();

/** Upload a bundle through a local file that lives only as long as the upload. */
async function upload(transport: Transport, code: Uint8Array, remotePath: string): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'baton-module-'));
  try {
    const local = join(folder, 'block.mjs');
    await writeFile(local, code);
    await transport.upload(local, remotePath);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function bundleModule(block: ModuleBlock): { key: string; bundle: Promise<Uint8Array> } {
  let mtime: number;
  try {
    mtime = statSync(block.path).mtimeMs;
  } catch (error) {
    throw new BatonError(
      'BLOCK_NOT_FOUND',
      `module file not found: ${block.path}`,
      { file: block.path },
      { cause: error },
    );
  }
  const key = `${block.path}#${block.exportName}@${mtime}`;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = buildBundle(block);
    bundles.set(key, bundle);
    bundle.catch(() => bundles.delete(key));
  }
  return { key, bundle };
}

async function buildBundle(block: ModuleBlock): Promise<Uint8Array> {
  const exports = await exportsOf(block.path);
  if (!exports.includes(block.exportName)) {
    throw new BatonError(
      'BLOCK_NO_EXPORT',
      `${block.path} has no export '${block.exportName}' (it exports ${exports.length ? exports.join(', ') : 'nothing'})`,
      { file: block.path, export: block.exportName },
    );
  }
  const entry = [
    `import * as blockModule from ${JSON.stringify(block.path)};`,
    `import { runModuleBlock } from ${JSON.stringify(runtimePath)};`,
    `await runModuleBlock(blockModule, ${JSON.stringify(block.exportName)});`,
  ].join('\n');
  const { build } = await import('esbuild');
  const result = await runEsbuild(block.path, () =>
    build({
      stdin: {
        contents: entry,
        resolveDir: dirname(block.path),
        sourcefile: 'baton-block-entry.ts',
        loader: 'ts',
      },
      bundle: true,
      alias: libraryAlias,
      platform: 'node',
      format: 'esm',
      target: 'node18',
      write: false,
      external: nativeExternals,
      logLevel: 'silent',
      banner: {
        js: [
          OLD_NODE_CHECK,
          "import { createRequire as __batonRequire } from 'node:module';",
          "import { fileURLToPath as __batonPath } from 'node:url';",
          "import { dirname as __batonDirname } from 'node:path';",
          'const require = __batonRequire(import.meta.url);',
          'const __filename = __batonPath(import.meta.url);',
          'const __dirname = __batonDirname(__filename);',
        ].join(' '),
      },
    }),
  );
  return result.outputFiles[0].contents;
}

async function exportsOf(path: string): Promise<string[]> {
  const { build } = await import('esbuild');
  const result = await runEsbuild(path, () =>
    build({
      entryPoints: [path],
      bundle: true,
      alias: libraryAlias,
      external: nativeExternals,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: tmpdir(),
    }),
  );
  return Object.values(result.metafile?.outputs ?? {}).flatMap((output) => output.exports);
}

async function runEsbuild<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const first = (
      error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }
    ).errors?.[0];
    throw new BatonError(
      'BLOCK_NOT_FOUND',
      `cannot load module block ${path}: ${first?.text ?? String(error)}`,
      first?.location
        ? { file: first.location.file, line: first.location.line, col: first.location.column + 1 }
        : { file: path },
      { cause: error },
    );
  }
}
