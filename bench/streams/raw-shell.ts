/**
 * References for the ssh stream: a plain shell channel fed hand-written lines, to separate what the channel
 * costs from what the transport's framing adds (the subshell that keeps `exit 3` from ending the shell).
 */
import { SentinelParser } from '../../src/transport/sentinel.ts';
import type { SshConnection } from '../../src/transport/ssh-connection.ts';

const PREFIX = 'BENCH7f3a_';

export interface RawShell {
  /** Write the line for task `seq` and wait for its status marker (and its stderr marker when `stderr`). */
  roundTrip(line: (seq: number) => string, stderr: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function openRawShell(connection: SshConnection): Promise<RawShell> {
  const channel = await connection.open('exec sh', { longLived: true });
  const seen = new Set<string>();
  let wake = () => undefined as void;
  const sink = {
    data: () => undefined,
    marker: (marker: { seq: number; kind: string }) => (seen.add(`${marker.seq}${marker.kind}`), wake()),
  };
  const stdout = new SentinelParser(PREFIX, sink);
  const stderr = new SentinelParser(PREFIX, sink);
  channel.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let seq = 0;
  return {
    roundTrip: (line, withStderr) => {
      seq++;
      const current = seq;
      channel.stdin.write(line(current));
      return new Promise((resolve) => {
        wake = () => {
          if (seen.has(`${current}status`) && (!withStderr || seen.has(`${current}end`))) resolve();
        };
        wake();
      });
    },
    close: async () => {
      channel.stdin.end('exit\n');
      await channel.closed;
    },
  };
}

export const bareLine = (seq: number) => `printf '${PREFIX}${seq}:%d;' $?\n`;
export const withoutSubshellLine = (seq: number) =>
  `eval 'true' </dev/null; printf '${PREFIX}${seq}:%d;' $?; printf '${PREFIX}${seq};' >&2\n`;
