/** Open a client socket to the sync server: TCP, or TLS with the certificate's fingerprint pinned (S3). */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { BatonError } from '../errors.ts';
import { formatAddress } from './address.ts';
import type { SyncAddress } from './address.ts';

export interface DialOptions {
  timeoutMs: number;
  /** SHA-256 fingerprint (`AB:CD:…`, any case, colons optional) the server's certificate must have. */
  tlsFingerprint?: string;
}

export function dial(address: SyncAddress, options: DialOptions): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const pinned =
      options.tlsFingerprint === undefined ? undefined : normalizeFingerprint(options.tlsFingerprint);
    const socket =
      pinned === undefined
        ? connect({ host: address.host, port: address.port })
        : connectTls({ host: address.host, port: address.port, rejectUnauthorized: false });
    const where = formatAddress(address);
    const timer = setTimeout(
      () =>
        fail(new BatonError('SYNC_CONNECT_FAILED', `timed out connecting to ${where}`, { address: where })),
      options.timeoutMs,
    );
    const fail = (error: BatonError) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', (error: Error) =>
      fail(
        new BatonError(
          'SYNC_CONNECT_FAILED',
          `cannot connect to ${where}: ${error.message}`,
          { address: where },
          { cause: error },
        ),
      ),
    );
    socket.once(pinned === undefined ? 'connect' : 'secureConnect', () => {
      if (pinned !== undefined) {
        const presented = normalizeFingerprint(
          (socket as TLSSocket).getPeerCertificate().fingerprint256 ?? '',
        );
        if (presented !== pinned) {
          fail(
            new BatonError('SYNC_AUTH', `the server at ${where} presented another certificate`, {
              address: where,
              reason: 'fingerprint',
            }),
          );
          return;
        }
      }
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      resolve(socket);
    });
  });
}

export function normalizeFingerprint(text: string): string {
  return text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
