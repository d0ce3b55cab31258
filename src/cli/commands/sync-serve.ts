import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatonError } from '../../errors.ts';
import { SyncServer } from '../../sync/server.ts';
import type { SyncServerOptions } from '../../sync/server.ts';
import type { CliIO } from '../command.ts';
import { parseOptions, usageError, writeLine } from '../command.ts';
import { SYNC_EXIT } from './sync-exit.ts';
import { errorLines } from '../errors-out.ts';

/** `baton sync serve`: run a standalone server until interrupted; prints the variables its clients need. */
export async function serve(args: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(
    'sync',
    args,
    {
      listen: { type: 'string' },
      token: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      log: { type: 'string' },
      'grace-ms': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    false,
  );
  const options: SyncServerOptions = { allowRemote: values['allow-remote'] === true };
  if (values.listen !== undefined) options.listen = values.listen;
  if (values.token !== undefined) {
    if (values.token === '') throw usageError('--token must not be empty', 'sync');
    options.token = values.token;
  }
  if (values.log !== undefined) options.logFile = resolve(io.cwd, values.log);
  if (values['grace-ms'] !== undefined) options.graceMs = milliseconds(values['grace-ms'], '--grace-ms');
  if (values['heartbeat-ms'] !== undefined)
    options.heartbeatMs = milliseconds(values['heartbeat-ms'], '--heartbeat-ms');
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw usageError('--tls-cert and --tls-key go together', 'sync');
  }
  if (values['tls-cert'] !== undefined && values['tls-key'] !== undefined) {
    options.tls = { cert: readFile(io, values['tls-cert']), key: readFile(io, values['tls-key']) };
  }
  const server = await SyncServer.start(options).catch((error: unknown) => {
    if (error instanceof BatonError && error.code === 'SYNC_CONNECT_FAILED') {
      for (const line of errorLines(error)) writeLine(io.stderr, line);
      return undefined;
    }
    throw error;
  });
  if (server === undefined) return SYNC_EXIT.unavailable;
  writeLine(io.stdout, `BATON_SYNC_ADDR=${server.addressText}`);
  writeLine(io.stdout, `BATON_SYNC_TOKEN=${server.token}`);
  if (server.tlsFingerprint !== undefined)
    writeLine(io.stdout, `BATON_SYNC_TLS_FINGERPRINT=${server.tlsFingerprint}`);
  await new Promise<void>((done) => {
    if (io.signal === undefined) return;
    if (io.signal.aborted) done();
    else io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  return SYNC_EXIT.go;
}

function milliseconds(text: string, flag: string): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : 0;
  if (value < 1) throw usageError(`${flag} takes a positive number of milliseconds, got '${text}'`, 'sync');
  return value;
}

function readFile(io: CliIO, path: string): Buffer {
  try {
    return readFileSync(resolve(io.cwd, path));
  } catch (error) {
    throw new BatonError('FILE_NOT_FOUND', `cannot read ${path}`, { file: path }, { cause: error });
  }
}
