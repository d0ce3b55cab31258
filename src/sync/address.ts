/** `host:port` addresses of the sync server, as flags and `BATON_SYNC_ADDR` spell them. */
import { isIP } from 'node:net';
import { BatonError } from '../errors.ts';

export interface SyncAddress {
  host: string;
  port: number;
}

/** Parse `host:port`, `[v6]:port` or `:port` (loopback); a bad address is a usage error. */
export function parseAddress(text: string, defaultHost = '127.0.0.1'): SyncAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new BatonError('USAGE', `'${text}' is not an address: expected HOST:PORT, e.g. 127.0.0.1:7400`, {
      address: text,
    });
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? defaultHost : host, port };
}

export function formatAddress(address: SyncAddress): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Loopback only: 127.0.0.0/8, ::1 and `localhost`; anything else needs an explicit opt-in (S1). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
