import { register } from 'node:module';
import { extname } from 'node:path';

// Resolves the library's package name, from anywhere, as this very baton's library module (resolved further
// by the hooks already there, so that tsx still loads it when baton runs from its sources). A TypeScript file
// outside node_modules is an ES module even without a package.json saying so: a scenario folder needs none.
const SCENARIO_RESOLVE_HOOK = `let name, url;
export function initialize(data) { ({ name, url } = data); }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier === name ? url : specifier, context);
  const typescript = /\\.tsx?$/.test(new URL(resolved.url).pathname) && !resolved.url.includes('/node_modules/');
  return typescript && resolved.format !== 'module' ? { ...resolved, format: 'module' } : resolved;
}`;

/** The npm name a scenario imports the library by. */
export const LIBRARY_NAME = 'baton-lab';

let prepared: Promise<void> | undefined;

/**
 * Make scenario files importable: TypeScript through tsx (already loaded when baton itself runs from its
 * sources), and `import ... from 'baton-lab'` bound to the running baton's own library, so that a scenario in
 * any folder, with no node_modules near it, shares its classes and state.
 */
export function prepareScenarioImports(): Promise<void> {
  prepared ??= (async () => {
    const extension = extname(import.meta.url);
    if (extension === '.js') (await import('tsx/esm/api')).register();
    register('data:text/javascript,' + encodeURIComponent(SCENARIO_RESOLVE_HOOK), {
      data: { name: LIBRARY_NAME, url: new URL(`../index${extension}`, import.meta.url).href },
    });
  })();
  return prepared;
}
