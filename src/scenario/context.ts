import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Controller } from '../controller/controller.ts';
import { StreamHandle } from '../controller/stream-handle.ts';
import type { Journal } from '../journal/journal.ts';
import { StreamGroup } from '../stream/group.ts';
import type { GroupMember } from '../stream/group.ts';
import type { SyncClient, SyncRelease, WaitOptions } from '../sync/client.ts';
import type { HostBook } from './hosts-file.ts';
import type { VariantParams } from './variant.ts';

export interface OpenOptions {
  /** Added to the environment of every block of the stream. */
  env?: Record<string, string>;
  /** Per-task timeout of the stream. */
  timeoutMs?: number;
  /** Ask an ssh stream for a terminal. */
  pty?: boolean;
}

export interface Logger {
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

/** What a scenario function receives: its hosts, streams, barriers, params and where to keep results. */
export interface ScenarioContext {
  hosts: HostBook;
  /** Open a stream named `name` on a host (a hosts-file name, `local`, `pty`, `ssh://...` or an ssh alias). */
  open: (name: string, host?: string, options?: OpenOptions) => Promise<StreamHandle>;
  group: (streams: readonly GroupMember[]) => StreamGroup;
  /** The controller's own sync client: a member of barriers like any stream (member name `console`). */
  sync: SyncClient;
  /** Wait at a barrier as the controller: resolves on GO, rejects with SYNC_ABORTED/TIMEOUT/LOST otherwise. */
  barrier: (name: string, count: number, options?: Pick<WaitOptions, 'timeoutMs'>) => Promise<SyncRelease>;
  params: VariantParams;
  variant: { id: string; index: number; total: number };
  whiteboard: { write: (text: string) => void; append: (text: string) => void };
  log: Logger;
  /** The variant's data folder in the results. */
  dataDir: string;
  signal: AbortSignal;
  /** The controller the scenario drives: commands, state, busy count. */
  controller: Controller;
}

export interface ContextDeps {
  controller: Controller;
  journal: Journal;
  sync: SyncClient;
  /** The variant's folder in the results. */
  variantDir: string;
  signal: AbortSignal;
}

/** A scenario's context: a thin facade over the controller, whose commands do all the work. */
export function createContext(deps: ContextDeps): ScenarioContext {
  const { controller, journal, variantDir } = deps;
  const variant = controller.variant;
  const log = (level: 'info' | 'warn' | 'error') => (message: string) =>
    journal.emit({ kind: 'log', level, message });
  return {
    hosts: controller.hosts,
    open: async (name, host = 'local', options = {}) =>
      new StreamHandle(
        controller,
        await controller.execute({
          kind: 'open',
          stream: name,
          host,
          ...(options.pty ? { pty: true } : {}),
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          ...(options.env ? { env: options.env } : {}),
        }),
      ),
    group: (members) => new StreamGroup(members),
    sync: deps.sync,
    barrier: async (name, count, options = {}) => {
      const go = await controller.execute({
        kind: 'barrier',
        name,
        count,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      return go.release;
    },
    params: variant.params,
    variant: { id: variant.id, index: variant.index, total: variant.total },
    whiteboard: {
      write: (text) => writeFileSync(join(variantDir, 'whiteboard'), text, { mode: 0o600 }),
      append: (text) => appendFileSync(join(variantDir, 'whiteboard'), text, { mode: 0o600 }),
    },
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    dataDir: join(variantDir, 'data'),
    signal: deps.signal,
    controller,
  };
}
