/**
 * The sync server of one job (spec 8.8): started by the controller on `127.0.0.1:0`, logging into the job
 * journal, handing every stream the environment its blocks' clients read (I1), failing the run's scope when a
 * block fails (I2), and giving the console its own client over the same protocol (I3).
 */
import type { Journal } from '../journal/journal.ts';
import { SyncClient } from './client.ts';
import { SyncServer } from './server.ts';
import type { SyncServerOptions } from './server.ts';

export interface JobSyncOptions extends Omit<SyncServerOptions, 'journal'> {
  /** The scope of the run, failed as a whole by `failScope`. @default the journal's job id */
  scope?: string;
  /** The console's member name. @default 'console' */
  consoleMember?: string;
}

/** The variables a stream's environment gets so that `baton sync wait` and the shell helper find the server. */
export type SyncEnv = {
  BATON_SYNC_ADDR: string;
  BATON_SYNC_TOKEN: string;
  BATON_SYNC_MEMBER: string;
  BATON_SYNC_SCOPE: string;
  BATON_SYNC_TLS_FINGERPRINT?: string;
};

export class JobSyncServer {
  readonly server: SyncServer;
  readonly scope: string;
  private readonly consoleMember: string;
  private consoleClient: Promise<SyncClient> | undefined;

  constructor(server: SyncServer, scope: string, consoleMember: string) {
    this.server = server;
    this.scope = scope;
    this.consoleMember = consoleMember;
  }

  /** I1: the environment of one stream; `address` is the forwarded `HOST:PORT` a remote stream sees. */
  env(member: string, options: { address?: string; scope?: string } = {}): SyncEnv {
    const env: SyncEnv = {
      BATON_SYNC_ADDR: options.address ?? this.server.addressText,
      BATON_SYNC_TOKEN: this.server.token,
      BATON_SYNC_MEMBER: member,
      BATON_SYNC_SCOPE: options.scope ?? this.scope,
    };
    if (this.server.tlsFingerprint !== undefined) env.BATON_SYNC_TLS_FINGERPRINT = this.server.tlsFingerprint;
    return env;
  }

  /** I3: the console is a member like any other, connected over TCP; no in-process shortcut. */
  console(): Promise<SyncClient> {
    this.consoleClient ??= SyncClient.connect({
      address: this.server.address,
      token: this.server.token,
      member: this.consoleMember,
      scope: this.scope,
      tlsFingerprint: this.server.tlsFingerprint,
    });
    return this.consoleClient;
  }

  /** I2: a block failed; every open and future barrier of the scope resolves ABORTED until reset. */
  async failScope(reason: string, scope = this.scope): Promise<number> {
    return (await this.console()).fail(scope, reason);
  }

  async close(): Promise<void> {
    const client = this.consoleClient;
    this.consoleClient = undefined;
    if (client) await client.then((connected) => connected.close()).catch(() => undefined);
    await this.server.close();
  }
}

/** Start the job's sync server; its events go into `journal` as `barrier` events. */
export async function startJobSyncServer(
  journal: Journal,
  options: JobSyncOptions = {},
): Promise<JobSyncServer> {
  const { scope, consoleMember, ...serverOptions } = options;
  const server = await SyncServer.start({ ...serverOptions, journal });
  return new JobSyncServer(server, scope ?? sanitize(journal.header.jobId), consoleMember ?? 'console');
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9._:/-]/g, '-').slice(0, 128) || 'job';
}
