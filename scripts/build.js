#!/usr/bin/env node
// Build dist/ from src/ and ui/: each module transpiled to its own .js file at the same relative path (so
// commands still load lazily and files found next to a module are still found), relative imports rewritten
// from .ts to .js, packages left to node_modules, source maps beside each file. Files of src/ that are not
// TypeScript (the sync clients) are copied. `--keep` writes over the last build instead of removing it first;
// the library's declarations (dist/types, made by `npm pack` through tsconfig.types.json) are left alone.
import { build, transform } from 'esbuild';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
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

/** Packages left out of the program's bundle: native code, files found beside their modules, optional tools. */
const NOT_BUNDLED = [
  '@lydell/node-pty',
  'ssh2',
  'cpu-features',
  'blessed',
  'blessed-contrib',
  'react-devtools-core',
  'esbuild',
  'tsx',
];

/**
 * In the bundle, each module's `import.meta.url` still names its own file of the per-module build, so files
 * found next to a module (the sync clients, the block runtime, a block's copy of the library) are found as before.
 * But one: the library a scenario imports must be the running program's own (one StreamHandle class, not two), so
 * scenario-imports.ts keeps the bundle's URL, where `../index.js` is the bundle's library entry, dist/index.js.
 */
const KEEPS_BUNDLE_URL = new Set(['src/scenario/scenario-imports.ts']);

const moduleUrlsStayTheirOwn = {
  name: 'module-urls-stay-their-own',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (args.path.includes('node_modules') || KEEPS_BUNDLE_URL.has(relative(root, args.path)))
        return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const built = join(out, relative(root, args.path)).replace(/\.tsx?$/, '.js');
      const fromBundle = relative(bundleDir, built);
      const { code } = await transform(source, {
        loader: extname(args.path).slice(1),
        format: 'esm',
        define: { 'import.meta.url': 'moduleUrl' },
        sourcefile: args.path,
      });
      const url = `const moduleUrl = new URL(${JSON.stringify(fromBundle)}, import.meta.url).href;\n`;
      return { contents: url + code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * React's packages pick their production or development build from NODE_ENV: only the production one is bundled
 * (the development build checks every render and allocates several times as much).
 */
const reactInProduction = {
  name: 'react-in-production',
  setup(esbuild) {
    esbuild.onLoad({ filter: /node_modules\/(react|react-reconciler|scheduler)\/.*\.js$/ }, async (args) => {
      const { code } = await transform(readFileSync(args.path, 'utf8'), {
        define: { 'process.env.NODE_ENV': '"production"' },
        minifySyntax: true,
      });
      return { contents: code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const bundleDir = join(out, 'bundle');

/**
 * The program itself (bin/baton.js) runs from one bundle with its packages inside: a start that resolves and
 * reads some 150 modules one by one costs more than twice as long. Commands still load lazily, as chunks.
 */
async function buildBundle() {
  rmSync(bundleDir, { recursive: true, force: true });
  for (const file of ['index.js', 'index.js.map']) rmSync(join(out, file), { force: true });
  await build({
    absWorkingDir: root,
    entryPoints: [
      { in: 'ui/main.ts', out: 'bundle/main' },
      { in: 'src/index.ts', out: 'index' },
    ],
    outdir: out,
    bundle: true,
    splitting: true,
    chunkNames: 'bundle/chunk-[hash]',
    external: NOT_BUNDLED,
    plugins: [reactInProduction, moduleUrlsStayTheirOwn],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Packages written as CommonJS call require(): in an ES module it has to be made.
    banner: {
      js: "import { createRequire as createRequireOfBundle } from 'node:module';\nconst require = createRequireOfBundle(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

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
  await buildBundle();
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await buildDist({ keep: process.argv.includes('--keep') });
