import type * as Screen from './screen.tsx';

/**
 * The screen module with React and its reconciler in their production builds: the development builds, which
 * they choose when NODE_ENV is not `production`, check every render and allocate several times as much. NODE_ENV
 * is set only while they load (a user's own NODE_ENV is kept), so the tasks of local streams, which inherit
 * baton's environment, never see it. (The program's bundle holds only the production builds; this is for the
 * modules run one by one, as `npm run dev` does.)
 *
 * While it loads, `fetch` is hidden too: ink's layout engine decodes its embedded WebAssembly with `fetch` when
 * there is one, and Node's `fetch` loads its whole HTTP client first (some 50 ms of the console's start); without
 * it the engine decodes the same bytes itself.
 */
export async function loadScreen(): Promise<typeof Screen> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV ??= 'production';
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetch?.configurable)
    Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true });
  try {
    return await import('./screen.tsx');
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    if (fetch?.configurable) Object.defineProperty(globalThis, 'fetch', fetch);
  }
}
