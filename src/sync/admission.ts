/**
 * Whether a WAIT may join, decided before anything is created (B1, B3, B6, B7, S4): a refused WAIT leaves no
 * barrier and no generation behind. Pure: it reads the barrier, it never changes it.
 */
import type { Barrier, Generation } from './barrier.ts';
import type { FieldValue } from './codec.ts';
import type { SyncLimits } from './limits.ts';
import type { ErrReason } from './protocol.ts';

export type Admission =
  | { kind: 'refused'; reason: ErrReason; fields: Record<string, FieldValue> }
  /** A resolved generation answers the WAIT again (B3). */
  | { kind: 'replay'; barrier: Barrier; generation: Generation }
  /** Join the open generation, or open one with `count`. */
  | { kind: 'join'; count: number };

interface Request {
  count?: number;
  members?: string[];
  gen?: number;
}

export function admission(
  limits: SyncLimits,
  request: Request,
  dataBytes: number,
  barrier: Barrier | undefined,
  member: string,
): Admission {
  if (dataBytes > limits.maxDataBytes) return refused('data-too-large', { limit: limits.maxDataBytes });
  if ((request.count ?? 0) > limits.maxCount || (request.members?.length ?? 0) > limits.maxCount)
    return refused('count-too-large', { limit: limits.maxCount });
  const lastGen = barrier?.lastGen ?? 0;
  const generation = barrier?.current;
  if (request.gen !== undefined && request.gen !== generation?.gen) {
    const pinned = barrier?.generations.get(request.gen);
    if (barrier && pinned?.outcome) return { kind: 'replay', barrier, generation: pinned };
    if (request.gen <= lastGen) return refused('gen-expired', { current: lastGen });
    if (generation !== undefined || request.gen !== lastGen + 1)
      return refused('gen-not-open', { current: lastGen });
  } else if (barrier && generation === undefined && request.gen === undefined) {
    const latest = barrier.generations.get(lastGen);
    if (latest?.outcome && latest.outcome.kind !== 'go' && isUnseen(barrier, latest, member))
      return { kind: 'replay', barrier, generation: latest };
  }

  if (generation === undefined) {
    const count = request.count ?? request.members?.length;
    if (count === undefined || count < 1) return refused('bad-request', { field: 'count' });
    if (request.members && new Set(request.members).size !== count)
      return refused('members-mismatch', { count });
    if (dataBytes > limits.maxGenerationDataBytes)
      return refused('data-too-large', { limit: limits.maxGenerationDataBytes });
    return { kind: 'join', count };
  }
  const refusal = generation.refusal(member, request.count, request.members);
  if (refusal !== undefined) return refused(refusal.reason, refusal.fields);
  if (generation.arrivals.has(member)) return { kind: 'join', count: generation.count };
  if (generation.held) return refused('barrier-held', { gen: generation.gen });
  if (generation.dataBytes + dataBytes > limits.maxGenerationDataBytes)
    return refused('data-too-large', { limit: limits.maxGenerationDataBytes });
  return { kind: 'join', count: generation.count };
}

// F2: a member that never arrived at a failed generation is a late arrival of it, once, above the replay floor.
function isUnseen(barrier: Barrier, generation: Generation, member: string): boolean {
  return generation.gen > barrier.replayFloor && (barrier.seen.get(member) ?? 0) < generation.gen;
}

function refused(reason: ErrReason, fields: Record<string, FieldValue>): Admission {
  return { kind: 'refused', reason, fields };
}
