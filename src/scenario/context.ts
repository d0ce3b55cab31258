import { BatonError, errorMessage, isBatonError, isErrorCode } from '../errors.ts';
import type { Journal } from '../journal/journal.ts';
import type { ResultsFolder } from '../report/results-folder.ts';
import { StreamGroup } from '../stream/group.ts';
import { Stream } from '../stream/stream.ts';
import type { SyncClient, SyncRelease, WaitOptions } from '../sync/client.ts';
import type { JobSyncServer } from '../sync/job.ts';
import { createTransport } from '../transport/index.ts';
import type { HostSpec, Transport } from '../transport/transport.ts';
import type { HostBook } from './hosts-file.ts';
import type { ScenarioVariant, VariantParams } from './variant.ts';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OpenOptions {
  /** Added to the environment of every block of the stream. */
  env?: Record<string, string>;
  /** Per-task timeout of the stream. */
  timeoutMs?: number;
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
  open: (name: string, host?: string, options?: OpenOptions) => Promise<Stream>;
  group: (streams: readonly Stream[]) => StreamGroup;
  /** The controller's own sync client: a member of barriers like any stream (member name `console`). */
  sync: SyncClient;
  /** Wait at a barrier as the controller: resolves on GO, rejects with SYNC_ABORTED/TIMEOUT/LOST otherwise. */
  barrier: (name: string, count: number, options?: Omit<WaitOptions, 'count'>) => Promise<SyncRelease>;
  params: VariantParams;
  variant: { id: string; index: number; total: number };
  whiteboard: { write: (text: string) => void; append: (text: string) => void };
  log: Logger;
  /** The variant's data folder in the results. */
  dataDir: string;
  signal: AbortSignal;
}

export interface ContextDeps {
  journal: Journal;
  results: ResultsFolder;
  hosts: HostBook;
  sync: JobSyncServer;
  variant: ScenarioVariant;
  /** Local folder that relative block paths resolve against (the scenario's folder). */
  cwd: string;
  signal: AbortSignal;
}

/** A scenario's context and the clean-up that closes every stream it opened. */
export async function createContext(
  deps: ContextDeps,
): Promise<{ context: ScenarioContext; close: () => Promise<BatonError | undefined> }> {
  const { journal, results, hosts, sync, variant } = deps;
  const streams = new Map<string, Stream>();
  const scope = `${sync.scope}/${variant.id || 'default'}`.slice(0, 128);
  const controller = await sync.console();
  const variantDir = results.currentVariantDir;
  const log = (level: 'info' | 'warn' | 'error') => (message: string) =>
    journal.emit({ kind: 'log', level, message });

  const open = async (name: string, hostReference = 'local', options: OpenOptions = {}): Promise<Stream> => {
    if (streams.has(name))
      throw new BatonError('SCENARIO_INVALID', `a stream named ${name} is already open`, { stream: name });
    const spec: HostSpec = hosts.resolve(hostReference);
    const transport = createTransport(spec, { stream: name });
    try {
      const exposed = await openAndExpose(transport, sync);
      const env = {
        ...variant.env,
        BATON_PARAMS: JSON.stringify(variant.values),
        ...sync.env(name, { address: exposed.address, scope }),
        ...exposed.clients,
        ...options.env,
      };
      const stream = await Stream.open({
        name,
        transport,
        journal,
        env,
        cwd: deps.cwd,
        taskDir: (streamName, index, block) => results.taskDir(streamName, index, block),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      streams.set(name, stream);
      return stream;
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw describeOpenFailure(error, name, spec);
    }
  };

  const context: ScenarioContext = {
    hosts,
    open,
    group: (members) => new StreamGroup(members),
    sync: controller,
    barrier: (name, count, options = {}) => controller.wait(name, { scope, ...options, count }),
    params: variant.params,
    variant: { id: variant.id, index: variant.index, total: variant.total },
    whiteboard: {
      write: (text) => writeFileSync(join(variantDir, 'whiteboard'), text, { mode: 0o600 }),
      append: (text) => appendFileSync(join(variantDir, 'whiteboard'), text, { mode: 0o600 }),
    },
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    dataDir: join(variantDir, 'data'),
    signal: deps.signal,
  };
  const taskFailures: BatonError[] = [];
  const failures = journal.subscribe((event) => {
    if (
      event.kind !== 'task-end' ||
      event.status === 'passed' ||
      event.tolerated ||
      !streams.has(event.stream)
    )
      return;
    const code = event.code !== undefined && isErrorCode(event.code) ? event.code : 'TASK_FAILED';
    taskFailures.push(
      new BatonError(code, event.message ?? `${event.task} ${event.status}`, {
        stream: event.stream,
        task: event.task,
      }),
    );
    void sync.failScope(`${event.task}-${event.status}`, scope).catch((error: unknown) => {
      journal.emit({
        kind: 'log',
        level: 'warn',
        message: `cannot fail the barriers of ${scope}: ${errorMessage(error)}`,
      });
    });
  });
  /** Close every stream; resolves with the first task failure of the scenario that was not tolerated, if any. */
  const close = async (): Promise<BatonError | undefined> => {
    failures.dispose();
    await Promise.allSettled([...streams.values()].map((stream) => stream.close()));
    return taskFailures[0];
  };
  return { context, close };
}

const SYNC_SHELL_CLIENT = fileURLToPath(new URL('../sync/shell/baton-sync.sh', import.meta.url));
const SYNC_PYTHON_CLIENT = fileURLToPath(new URL('../sync/python/baton_sync.py', import.meta.url));

/**
 * Open the transport, make the job's sync server reachable from the host, and ship the bash and Python sync
 * clients there. Returns the sync address the host sees and the environment naming the shipped clients.
 */
async function openAndExpose(
  transport: Transport,
  sync: JobSyncServer,
): Promise<{ address: string; clients: { BATON_SYNC_SH: string; BATON_SYNC_PY: string } }> {
  await transport.open();
  const { host, port } = sync.server.address;
  const exposed = await transport.exposeService(host, port);
  const folder = await transport.makeTempDir('baton-sync-');
  const clients = { BATON_SYNC_SH: `${folder}/baton-sync`, BATON_SYNC_PY: `${folder}/baton_sync.py` };
  await Promise.all([
    transport.upload(SYNC_SHELL_CLIENT, clients.BATON_SYNC_SH),
    transport.upload(SYNC_PYTHON_CLIENT, clients.BATON_SYNC_PY),
  ]);
  return { address: exposed.address, clients };
}

/** One line naming the stream and host; the code of the underlying failure is kept. */
function describeOpenFailure(error: unknown, stream: string, spec: HostSpec): BatonError {
  const code = isBatonError(error) ? error.code : 'TRANSPORT_SPAWN_FAILED';
  return new BatonError(
    code,
    `cannot open stream ${stream} on ${spec.name}: ${errorMessage(error)}`,
    { stream, host: spec.name },
    { cause: error },
  );
}
