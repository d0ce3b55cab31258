import { hostname } from 'node:os';
import { isBatonError } from '../../errors.ts';
import { SyncClient } from '../../sync/client.ts';
import type { SyncClientOptions } from '../../sync/client.ts';
import { isValidName } from '../../sync/protocol.ts';
import type { CliIO, Command } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';
import { SYNC_EXIT, syncExitCode } from './sync-exit.ts';
import { serve } from './sync-serve.ts';
import { errorLines } from '../errors-out.ts';

const USAGE = `baton sync serve [--listen ADDR] [--token T] [--allow-remote] [--log FILE] [--grace-ms MS] [--heartbeat-ms MS]
                  [--tls-cert FILE --tls-key FILE]
       baton sync wait NAME [COUNT] [--timeout S] [--data D] [--members A,B,...] [--gen G]
       baton sync abort NAME [--reason R]
       baton sync fail [--scope S] [--reason R]
       baton sync reset [--scope S]
       baton sync status [NAME]

serve prints BATON_SYNC_ADDR=... and BATON_SYNC_TOKEN=... and runs until interrupted; it binds
127.0.0.1:0 unless --listen says otherwise, and a non-loopback address needs --allow-remote.
The clients read BATON_SYNC_ADDR, BATON_SYNC_TOKEN, BATON_SYNC_MEMBER and BATON_SYNC_SCOPE
(and BATON_SYNC_TLS_FINGERPRINT for a TLS server); --member and --scope override the last two.
wait prints each member's data on GO as member=value lines; Ctrl-C cancels the wait.

Exit codes: 0 GO (or done), 2 usage or an ERR reply, 3 cannot connect, authentication refused or
server restarted, 4 ABORTED, 5 TIMEOUT, 6 LOST, 7 CANCELLED.`;

const CLIENT_OPTIONS = {
  member: { type: 'string' },
  scope: { type: 'string' },
} as const;

/** `baton sync …`: the sync server, and the shell client that blocks use. */
export const syncCommand: Command = {
  name: 'sync',
  summary: 'Serve barriers, or wait, abort and inspect them from a shell',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'serve') return serve(rest, io);
    if (sub === 'wait') return runClient(io, (client) => wait(client, rest, io));
    if (sub === 'abort') return runClient(io, (client) => abort(client, rest, io));
    if (sub === 'fail' || sub === 'reset')
      return runClient(io, (client) => failOrReset(sub, client, rest, io));
    if (sub === 'status') return runClient(io, (client) => status(client, rest, io));
    throw usageError(sub === undefined ? 'a subcommand is required' : `unknown subcommand '${sub}'`, 'sync');
  },
};

type Connect = (overrides: Overrides) => Promise<SyncClient>;

// Connect with the environment's settings, run the action, map outcomes to exit codes.
async function runClient(io: CliIO, action: (connect: Connect) => Promise<number>): Promise<number> {
  let client: SyncClient | undefined;
  try {
    return await action(async (overrides) => {
      client = await SyncClient.connect(clientOptions(io, overrides));
      return client;
    });
  } catch (error) {
    if (!isBatonError(error) || error.code === 'USAGE') throw error;
    for (const line of errorLines(error)) writeLine(io.stderr, line);
    return syncExitCode(error.code);
  } finally {
    await client?.close();
  }
}

interface Overrides {
  member?: string | undefined;
  scope?: string | undefined;
}

function clientOptions(io: CliIO, overrides: Overrides): SyncClientOptions {
  const address = io.env.BATON_SYNC_ADDR;
  const token = io.env.BATON_SYNC_TOKEN;
  if (!address)
    throw usageError(
      'BATON_SYNC_ADDR is not set: run inside a stream, or export the address baton sync serve printed',
      'sync',
    );
  if (token === undefined) throw usageError('BATON_SYNC_TOKEN is not set', 'sync');
  const member = overrides.member ?? io.env.BATON_SYNC_MEMBER ?? defaultMember();
  const scope = overrides.scope ?? (io.env.BATON_SYNC_SCOPE || undefined);
  if (!isValidName(member))
    throw usageError(`'${member}' is not a member name: use [A-Za-z0-9._:/-], at most 128`, 'sync');
  if (scope !== undefined && !isValidName(scope)) throw usageError(`'${scope}' is not a scope name`, 'sync');
  const options: SyncClientOptions = { address, token, member };
  if (scope !== undefined) options.scope = scope;
  if (io.env.BATON_SYNC_TLS_FINGERPRINT) options.tlsFingerprint = io.env.BATON_SYNC_TLS_FINGERPRINT;
  return options;
}

function defaultMember(): string {
  return `${hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 100)}.${process.pid}`;
}

async function wait(connect: Connect, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions('sync', args, {
    ...CLIENT_OPTIONS,
    timeout: { type: 'string' },
    data: { type: 'string' },
    members: { type: 'string' },
    gen: { type: 'string' },
  });
  const [name, countText, extra] = positionals;
  if (name === undefined || extra !== undefined) throw usageError('wait takes NAME and COUNT', 'sync');
  if (!isValidName(name))
    throw usageError(`'${name}' is not a barrier name: use [A-Za-z0-9._:/-], at most 128`, 'sync');
  const members = values.members?.split(',');
  const count = countText === undefined ? undefined : positive(countText, 'COUNT');
  if (count === undefined && members === undefined) throw usageError('wait needs COUNT or --members', 'sync');
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0))
    throw usageError(`--timeout takes seconds, got '${values.timeout}'`, 'sync');
  const client = await connect(values);
  const release = await client.wait(name, {
    ...(count === undefined ? {} : { count }),
    ...(members === undefined ? {} : { members }),
    ...(timeout === undefined ? {} : { timeoutMs: Math.round(timeout * 1000) }),
    ...(values.data === undefined ? {} : { data: values.data }),
    ...(values.gen === undefined ? {} : { gen: positive(values.gen, '--gen') }),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  for (const member of Object.keys(release.data))
    writeLine(io.stdout, `${member}=${release.data[member].toString('utf8')}`);
  return SYNC_EXIT.go;
}

async function abort(connect: Connect, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions('sync', args, {
    ...CLIENT_OPTIONS,
    reason: { type: 'string' },
  });
  if (positionals.length !== 1 || !isValidName(positionals[0]))
    throw usageError('abort takes one barrier NAME', 'sync');
  const client = await connect(values);
  const gen = await client.abort(positionals[0], values.reason);
  writeLine(io.stdout, `aborted ${positionals[0]} gen=${gen}`);
  return SYNC_EXIT.go;
}

async function failOrReset(
  verb: 'fail' | 'reset',
  connect: Connect,
  args: string[],
  io: CliIO,
): Promise<number> {
  const { values } = parseOptions('sync', args, { ...CLIENT_OPTIONS, reason: { type: 'string' } }, false);
  const scope = values.scope ?? io.env.BATON_SYNC_SCOPE;
  if (!scope) throw usageError(`${verb} needs --scope S or BATON_SYNC_SCOPE`, 'sync');
  const client = await connect({ ...values, scope });
  if (verb === 'reset') {
    await client.reset(scope);
    writeLine(io.stdout, `reset scope=${scope}`);
  } else {
    const aborted = await client.fail(scope, values.reason);
    writeLine(io.stdout, `failed scope=${scope} aborted=${aborted}`);
  }
  return SYNC_EXIT.go;
}

async function status(connect: Connect, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions('sync', args, { ...CLIENT_OPTIONS });
  if (positionals.length > 1) throw usageError('status takes at most one barrier NAME', 'sync');
  const client = await connect(values);
  for (const entry of await client.status(positionals[0])) writeLine(io.stdout, entry.line);
  return SYNC_EXIT.go;
}

function positive(text: string, what: string): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : 0;
  if (value < 1) throw usageError(`${what} must be a positive integer, got '${text}'`, 'sync');
  return value;
}
