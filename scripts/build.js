#!/usr/bin/env node
// Build dist/ from src/ and ui/: each module transpiled to its own .js file at the same relative path (so
// commands still load lazily and files found next to a module are still found), relative imports rewritten
// from .ts to .js, packages left to node_modules, source maps beside each file. Files of src/ that are not
// TypeScript (the sync clients) are copied. `--keep` writes over the last build instead of removing it first;
// the library's declarations (dist/types, made by `npm pack` through tsconfig.types.json) are left alone.
import { build } from 'esbuild';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist');
const sources = ['src', 'ui'];

function filesUnder(folder) {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

const isModule = (file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts');

/** Keep relative imports of TypeScript modules as imports of their built .js files. */
const relativeModulesStayImports = {
  name: 'relative-modules-stay-imports',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\.?\/.*\.tsx?$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.tsx?$/, '.js'), external: true },
    );
  },
};

export async function buildDist({ keep = false } = {}) {
  if (!keep) for (const folder of sources) rmSync(join(out, folder), { recursive: true, force: true });
  const files = sources.flatMap(filesUnder);
  await build({
    absWorkingDir: root,
    entryPoints: files.filter(isModule),
    outdir: out,
    outbase: '.',
    bundle: true,
    packages: 'external',
    plugins: [relativeModulesStayImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of files.filter((file) => file.startsWith('src/') && !isModule(file)))
    cpSync(join(root, file), join(out, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await buildDist({ keep: process.argv.includes('--keep') });
