/**
 * Connections to one host (user@host:port and jump hosts), shared by its streams. A connection carries at most
 * `capacity` streams (each keeps a shell channel for its life, and OpenSSH allows 10 sessions per connection
 * by default); the next stream gets a further connection. New connections to a host are made one after the
 * other, so that a hundred streams opening at once do not trip the server's MaxStartups.
 */
import type { SshConnection } from './ssh-connection.ts';

interface Entry {
  connection: Promise<SshConnection>;
  users: number;
  lost: boolean;
}

export interface Lease {
  connection: SshConnection;
  /** Give the connection back; the last user closes it. Idempotent. */
  release(): void;
}

export class SshConnectionPool {
  private readonly hosts = new Map<string, { entries: Entry[]; connecting: Promise<unknown> }>();

  /**
   * A connection to `key` with room for one more stream (at most `capacity` on each), shared by everyone asking
   * meanwhile, or a new one from `connect`.
   */
  async acquire(key: string, connect: () => Promise<SshConnection>, capacity = Infinity): Promise<Lease> {
    let host = this.hosts.get(key);
    if (!host) this.hosts.set(key, (host = { entries: [], connecting: Promise.resolve() }));
    let entry = host.entries.find((candidate) => !candidate.lost && candidate.users < Math.max(1, capacity));
    if (!entry) {
      const previous = host.connecting;
      const fresh: Entry = {
        connection: previous.then(connect, connect),
        users: 0,
        lost: false,
      };
      entry = fresh;
      host.entries.push(fresh);
      host.connecting = fresh.connection.catch(() => undefined);
      fresh.connection.then(
        (connection) => connection.onLost(() => this.forget(key, fresh)),
        () => this.forget(key, fresh),
      );
    }
    entry.users++;
    let connection: SshConnection;
    try {
      connection = await entry.connection;
    } catch (error) {
      entry.users--;
      throw error;
    }
    let released = false;
    const owner = entry;
    return {
      connection,
      release: () => {
        if (released) return;
        released = true;
        owner.users--;
        if (owner.users === 0) {
          this.forget(key, owner);
          connection.close();
        }
      },
    };
  }

  /** Connections currently held, for tests and diagnostics. */
  get size(): number {
    let count = 0;
    for (const host of this.hosts.values()) count += host.entries.length;
    return count;
  }

  private forget(key: string, entry: Entry): void {
    entry.lost = true;
    const host = this.hosts.get(key);
    if (!host) return;
    host.entries = host.entries.filter((candidate) => candidate !== entry);
    if (host.entries.length === 0) this.hosts.delete(key);
  }
}

/** The process-wide pool: streams on one host share its connections. */
export const sharedSshPool = new SshConnectionPool();
