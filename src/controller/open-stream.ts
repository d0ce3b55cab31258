import { fileURLToPath } from 'node:url';
import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { JobSyncServer } from '../sync/job.ts';
import type { HostSpec, Transport } from '../transport/transport.ts';

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
