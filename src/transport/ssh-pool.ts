/** Connections shared by every stream on the same host (user@host:port and jump hosts), counted by reference. */
import type { SshConnection } from './ssh-connection.ts';

interface Entry {
  connection: Promise<SshConnection>;
  users: number;
}

export interface Lease {
  connection: SshConnection;
  /** Give the connection back; the last user closes it. Idempotent. */
  release(): void;
}

export class SshConnectionPool {
  private readonly entries = new Map<string, Entry>();

  /** The live connection for `key`, or a new one from `connect` (shared by everyone asking meanwhile). */
  async acquire(key: string, connect: () => Promise<SshConnection>): Promise<Lease> {
    let entry = this.entries.get(key);
    if (!entry) {
      const fresh: Entry = { connection: connect(), users: 0 };
      entry = fresh;
      this.entries.set(key, fresh);
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
    return this.entries.size;
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}

/** The process-wide pool: streams on one host share one connection. */
export const sharedSshPool = new SshConnectionPool();
