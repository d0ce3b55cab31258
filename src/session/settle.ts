import type { Journal } from '../journal/journal.ts';

/** `settle STREAM DUR`: resolves once STREAM has printed nothing for `ms` (the one wait on output silence). */
export function settle(journal: Journal, stream: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, ms);
    };
    const subscription = journal.subscribe((event) => {
      if (event.kind === 'output' && event.stream === stream) arm();
    });
    signal?.addEventListener('abort', done, { once: true });
    arm();
  });
}
