import { fileURLToPath } from 'node:url';
import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { Journal } from '../journal/journal.ts';
import type { ResultsFolder } from '../report/results-folder.ts';
import type { HostBook } from '../scenario/hosts-file.ts';
import type { ScenarioVariant } from '../scenario/variant.ts';
import { Stream } from '../stream/stream.ts';
import type { JobSyncServer } from '../sync/job.ts';
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
  const { results, sync, variant } = context;
  const env: Record<string, string> = {
    ...context.baseEnv,
    ...variant.env,
    BATON_PARAMS: JSON.stringify(variant.values),
  };
  const stream = Stream.create({
    name,
    transport: createTransport(spec, { stream: name }),
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
      if (sync) {
        const exposed = await exposeSync(transport, sync);
        Object.assign(
          env,
          sync.env(member, { address: exposed.address, scope: context.scope }),
          exposed.clients,
        );
      } else if (context.baseEnv?.BATON_SYNC_MEMBER) {
        env.BATON_SYNC_MEMBER = member;
      }
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
 * Make the job's sync server reachable from the host of an open transport, and ship the bash and Python sync
 * clients there. Returns the sync address the host sees and the environment naming the shipped clients.
 */
export async function exposeSync(
  transport: Transport,
  sync: JobSyncServer,
): Promise<{ address: string; clients: { BATON_SYNC_SH: string; BATON_SYNC_PY: string } }> {
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
