/**
 * One `BARRIER` line of `STATUS` (P4, O2): enough to answer "who is everyone waiting for right now?" —
 * `arrived=`, `missing=` by name, and `lost=` for members whose connection is gone.
 */
import type { Barrier, Generation } from './barrier.ts';
import { formatLine } from './codec.ts';

const STATE = { go: 'go', aborted: 'aborted', timeout: 'timeout', lost: 'lost' } as const;

export function renderStatus(
  barrier: Barrier,
  generation: Generation,
  now: number,
  candidates: Iterable<string>,
  isAway: (member: string) => boolean,
  requestId: string | undefined,
): string {
  const outcome = generation.outcome;
  const arrived = [...generation.arrivals.keys()];
  const missing =
    outcome?.kind === 'go' ? [] : generation.missing(outcome ? [] : [...barrier.known, ...candidates]);
  const lost = new Set<string>();
  if (outcome?.kind === 'lost' && outcome.member !== undefined) lost.add(outcome.member);
  if (outcome === undefined) {
    for (const member of [...arrived, ...(generation.members ?? [])]) if (isAway(member)) lost.add(member);
  }
  return formatLine('BARRIER', [barrier.name], {
    gen: generation.gen,
    state: outcome ? STATE[outcome.kind] : 'open',
    count: generation.count,
    arrived: arrived.join(','),
    missing: missing.join(','),
    missing_count: outcome?.kind === 'go' ? 0 : generation.count - arrived.length,
    lost: [...lost].join(','),
    scope: barrier.scope,
    by: outcome?.by,
    reason: outcome?.reason ?? outcome?.cause,
    age_ms: Math.round(now - (generation.firstArrivalAt ?? generation.openedAt)),
    deadline_ms:
      generation.deadlineAt === undefined || outcome
        ? undefined
        : Math.max(0, Math.round(generation.deadlineAt - now)),
    id: requestId,
  });
}
