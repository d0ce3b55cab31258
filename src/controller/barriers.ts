import { BatonError, errorMessage } from '../errors.ts';
import type { Journal } from '../journal/journal.ts';
import type { JobSyncServer } from '../sync/job.ts';
import type { SyncServer } from '../sync/server.ts';
import { NAME_PATTERN } from '../sync/protocol.ts';
import type { SyncClient, SyncRelease } from '../sync/client.ts';
import type { BusyCount } from './busy.ts';

/** The controller passed a barrier: the generation, its members, and the release as the client got it. */
export interface BarrierGo {
  gen: number;
  members: string[];
  release: SyncRelease;
}

/**
 * The controller's side of the job's barriers: it waits at them as a member (over the protocol, like any
 * stream), holds and steps them, and aborts the barriers of a variant's scope when a task fails.
 */
export class BarrierDesk {
  /** The sync scope of the bound variant. */
  scope: string | undefined;
  private readonly sync: JobSyncServer | undefined;
  private readonly busy: BusyCount;
  private readonly journal: Journal;
  private readonly waits = new Set<(error: BatonError) => void>();
  /** Codes of the errors `interrupt` ends a wait with: the controller leaves the barrier then. */
  private readonly stopCodes = new Set<string>(['INTERRUPTED', 'SESSION_STEP_TIMEOUT']);

  constructor(sync: JobSyncServer | undefined, busy: BusyCount, journal: Journal) {
    this.sync = sync;
    this.busy = busy;
    this.journal = journal;
  }

  /** Wait at barrier `name` as one of `count` members; rejects with SYNC_ABORTED/TIMEOUT/LOST or INTERRUPTED. */
  async wait(name: string, count: number, timeoutMs?: number): Promise<BarrierGo> {
    checkName(name);
    if (!Number.isInteger(count) || count < 1)
      throw new BatonError('BARRIER_BAD_COUNT', `a barrier needs a whole count of at least 1, got ${count}`, {
        barrier: name,
        count,
      });
    const server = this.server();
    const release = this.busy.take();
    // Registered before the first await: an interruption while the console's client connects ends this wait too.
    let stop!: (error: BatonError) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    this.waits.add(stop);
    let client: SyncClient | undefined;
    try {
      client = await Promise.race([server.console(), stopped]);
      const waiting = client.wait(name, {
        count,
        ...(this.scope === undefined ? {} : { scope: this.scope }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      const go = await Promise.race([waiting, stopped]);
      return { gen: go.gen, members: go.members, release: go };
    } catch (error) {
      if (client && error instanceof BatonError && this.stopCodes.has(error.code))
        await client.cancel(name).catch(() => undefined);
      throw error;
    } finally {
      this.waits.delete(stop);
      release();
    }
  }

  /** Hold barrier `name` (all barriers without a name): it releases only when stepped. */
  hold(name: string | undefined): void {
    const control = this.control();
    if (name === undefined) return control.holdAll();
    checkName(name);
    control.hold(name);
  }

  step(name: string | undefined): { barrier: string; gen: number } {
    if (name !== undefined) checkName(name);
    return this.control().step(name);
  }

  release(name: string | undefined): { barrier: string; gen: number }[] {
    if (name !== undefined) checkName(name);
    return this.control().release(name);
  }

  /** A task failed: every open and later barrier of the scope resolves ABORTED. */
  failScope(reason: string): void {
    if (!this.sync || this.scope === undefined) return;
    const release = this.busy.take();
    const scope = this.scope;
    void this.sync
      .failScope(reason, scope)
      .catch((error: unknown) => {
        this.journal.emit({
          kind: 'log',
          level: 'warn',
          message: `cannot fail the barriers of ${scope}: ${errorMessage(error)}`,
        });
      })
      .finally(release);
  }

  /** End every wait of the controller with INTERRUPTED (or the error given). */
  interrupt(error = new BatonError('INTERRUPTED', 'interrupted while waiting at a barrier')): void {
    for (const stop of this.waits) stop(error);
  }

  private server(): JobSyncServer {
    if (!this.sync)
      throw new BatonError(
        'COMMAND_INVALID',
        'barriers need the job sync server: streams opened in a block have none',
      );
    return this.sync;
  }

  private control(): SyncServer {
    return this.server().server;
  }
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name))
    throw new BatonError(
      'BARRIER_BAD_NAME',
      `'${name}' is not a barrier name: expected 1 to 128 of A-Z a-z 0-9 . _ : / -`,
      { barrier: name },
    );
}
