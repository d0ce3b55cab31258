import { fileURLToPath } from 'node:url';
import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { Journal } from '../journal/journal.ts';
import type { ResultsFolder } from '../report/results-folder.ts';
import type { HostBook } from '../scenario/hosts-file.ts';
import type { ScenarioVariant } from '../scenario/variant.ts';
import { Stream } from '../stream/stream.ts';
import type { JobSyncServer } from '../sync/job.ts';
import { parseAddress } from '../sync/address.ts';
import type { SyncAddress } from '../sync/address.ts';
import { createTransport } from '../transport/index.ts';
import type { HostSpec, Transport } from '../transport/transport.ts';
import type { CommandOf } from './command.ts';
import type { StreamTable } from './stream-table.ts';

/** What opening a stream needs of its controller. */
export interface OpenContext {
  journal: Journal;
  hosts: HostBook;
  streams: StreamTable;
  /** The bound variant: its params and BATON_PARAM_* go into the stream's environment. */
  variant: ScenarioVariant;
  /** The sync scope of the bound variant. */
  scope: string | undefined;
  results?: ResultsFolder;
  sync?: JobSyncServer;
  baseEnv?: Record<string, string>;
  memberOf?: (stream: string) => string;
  killGraceMs?: number;
  blockFolder?: string;
}

/**
 * Open a stream for the `open` command: in the table (and journalled `opening`) before its transport opens,
 * so that closing everything closes it too; the job's sync server made reachable from its host; its task
 * numbers going on from those of earlier streams of the same name. A failed open leaves nothing behind.
 */
export async function openStream(command: CommandOf<'open'>, context: OpenContext): Promise<Stream> {
  const name = command.stream;
  checkStreamName(name);
  context.streams.assertFree(name);
  const spec = terminalSpec(context.hosts.resolve(command.host), name, command.pty === true);
  const { results, variant } = context;
  const env: Record<string, string> = {
    ...context.baseEnv,
    ...variant.env,
    BATON_PARAMS: JSON.stringify(variant.values),
  };
  const stream = Stream.create({
    name,
    transport: createTransport(spec, {
      stream: name,
      onConnectAttempt: (attempt, attempts) =>
        context.journal.emit({ kind: 'connecting', stream: name, host: spec.name, attempt, attempts }),
    }),
    journal: context.journal,
    env,
    ...(context.blockFolder ? { cwd: context.blockFolder } : {}),
    ...(results ? { taskDir: (stream, index, block) => results.taskDir(stream, index, block) } : {}),
    nextIndex: () => context.streams.nextTaskNumber(name),
    ...(command.timeoutMs === undefined ? {} : { timeoutMs: command.timeoutMs }),
    ...(context.killGraceMs === undefined ? {} : { killGraceMs: context.killGraceMs }),
  });
  context.streams.add(stream);
  const member = context.memberOf?.(name) ?? name;
  try {
    await stream.start(async (transport) => {
      await chainSync(transport, env, member, context);
      Object.assign(env, command.env);
    });
  } catch (error) {
    context.streams.remove(stream);
    throw describeOpenFailure(error, name, spec);
  }
  return stream;
}

const SYNC_SHELL_CLIENT = fileURLToPath(new URL('../sync/shell/baton-sync.sh', import.meta.url));
const SYNC_PYTHON_CLIENT = fileURLToPath(new URL('../sync/python/baton_sync.py', import.meta.url));

/**
 * The sync variables of a new stream: the job's server made reachable from its host, or, for a stream opened
 * inside a block, the block's own server address chained on from the block's host.
 */
async function chainSync(
  transport: Transport,
  env: Record<string, string>,
  member: string,
  context: OpenContext,
): Promise<void> {
  const { sync, baseEnv } = context;
  if (sync) {
    const exposed = await exposeSync(transport, jobSyncSource(sync));
    Object.assign(env, sync.env(member, { address: exposed.address, scope: context.scope }), exposed.clients);
    return;
  }
  if (baseEnv?.BATON_SYNC_MEMBER) env.BATON_SYNC_MEMBER = member;
  const inherited = baseEnv && inheritedSyncSource(baseEnv);
  if (!inherited) return;
  const exposed = await exposeSync(transport, inherited);
  Object.assign(env, { BATON_SYNC_ADDR: exposed.address }, exposed.clients);
}

/** The sync server as a stream's host is to reach it: its address here and the client scripts to ship. */
export interface SyncSource {
  address: SyncAddress;
  /** Local paths of the bash and Python clients. */
  shellClient: string;
  pythonClient: string;
}

/** The job's own sync server, and the clients of this installation. */
export function jobSyncSource(sync: JobSyncServer): SyncSource {
  return { address: sync.server.address, shellClient: SYNC_SHELL_CLIENT, pythonClient: SYNC_PYTHON_CLIENT };
}

/**
 * Inside a block: the sync server as the block reaches it (its BATON_SYNC_ADDR, itself a forward to the
 * controller) and the clients already shipped to the block's host, so that a stream the block opens on a
 * further host is chained to the same server.
 */
export function inheritedSyncSource(env: Readonly<Record<string, string>>): SyncSource | undefined {
  const { BATON_SYNC_ADDR: address, BATON_SYNC_SH: shellClient, BATON_SYNC_PY: pythonClient } = env;
  if (!address || !shellClient || !pythonClient) return undefined;
  return { address: parseAddress(address), shellClient, pythonClient };
}

/**
 * Make the sync server reachable from the host of an open transport, and ship the bash and Python sync
 * clients there. Returns the sync address the host sees and the environment naming the shipped clients.
 */
export async function exposeSync(
  transport: Transport,
  source: SyncSource,
): Promise<{ address: string; clients: { BATON_SYNC_SH: string; BATON_SYNC_PY: string } }> {
  const exposed = await transport.exposeService(source.address.host, source.address.port);
  const folder = await transport.makeTempDir('baton-sync-');
  const clients = { BATON_SYNC_SH: `${folder}/baton-sync`, BATON_SYNC_PY: `${folder}/baton_sync.py` };
  await Promise.all([
    transport.upload(source.shellClient, clients.BATON_SYNC_SH),
    transport.upload(source.pythonClient, clients.BATON_SYNC_PY),
  ]);
  return { address: exposed.address, clients };
}

/** The host spec a stream opens on: with `pty`, an ssh host is asked for a terminal; a local process has none. */
export function terminalSpec(spec: HostSpec, stream: string, pty: boolean): HostSpec {
  if (!pty || spec.kind === 'pty') return spec;
  if (spec.kind === 'ssh') return { ...spec, pty: true };
  throw new BatonError(
    'TRANSPORT_NO_TERMINAL',
    `host ${spec.name} is a local process: use pty for a terminal`,
    {
      stream,
      host: spec.name,
    },
  );
}

/** One line naming the stream and host; the code of the underlying failure is kept. */
export function describeOpenFailure(error: unknown, stream: string, spec: HostSpec): BatonError {
  const code = isBatonError(error) ? error.code : 'TRANSPORT_SPAWN_FAILED';
  return new BatonError(
    code,
    `cannot open stream ${stream} on ${spec.name}: ${errorMessage(error)}`,
    { stream, host: spec.name },
    { cause: error },
  );
}

/** Stream names are folder names and script words: no `/`, no leading `@` or `{`, not `barrier` or `stream`. */
export function checkStreamName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(name) || name === 'barrier' || name === 'stream')
    throw new BatonError(
      'COMMAND_INVALID',
      `'${name}' is not a stream name: expected letters, digits, '.', '_' or '-' (at most 64), not 'barrier' or 'stream'`,
      { stream: name },
    );
}
