import type { Controller } from '../controller/controller.ts';
import type { JobState } from '../controller/state.ts';

/** Whether `step [BARRIER]` can release now: the barrier (or, without a name, any) held with every member arrived. */
export function steppable(state: JobState, barrier: string | undefined): boolean {
  if (barrier !== undefined) return state.barriers[barrier]?.state === 'held';
  return Object.values(state.barriers).some((view) => view.state === 'held');
}

/**
 * Resolves once `step [BARRIER]` can release. A person steps a barrier they see held; a replay reaches the
 * same line as soon as the lines before it were issued, when the members may still be on their way: it waits
 * for them, bounded by the step's own timeout (the caller's race), never by a sleep.
 */
export function untilSteppable(controller: Controller, barrier: string | undefined): Promise<void> {
  if (steppable(controller.snapshot(), barrier)) return Promise.resolve();
  return new Promise((resolve) => {
    const subscription = controller.journal.subscribe((event) => {
      if (event.kind !== 'barrier' || !steppable(controller.snapshot(), barrier)) return;
      subscription.dispose();
      resolve();
    });
  });
}
