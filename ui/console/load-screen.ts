import type * as Screen from './screen.tsx';

/**
 * The screen module with React and its reconciler in their production builds: the development builds, which
 * they choose when NODE_ENV is not `production`, check every render and allocate several times as much. NODE_ENV
 * is set only while they load (a user's own NODE_ENV is kept), so the tasks of local streams, which inherit
 * baton's environment, never see it.
 */
export async function loadScreen(): Promise<typeof Screen> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV ??= 'production';
  try {
    return await import('./screen.tsx');
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
  }
}
