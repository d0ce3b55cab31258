/** A command in its own exec channel: the fallback for hosts that allow no persistent shell. */
import { randomBytes } from 'node:crypto';
import { SentinelParser } from './sentinel.ts';
import { resultOfStatus } from './shell-session.ts';
import type { RemoteChannel } from './ssh-connection.ts';
import { execChannelCommand, killTreeCommand, plainShellCommand } from './shell-script.ts';
import { requestEnv } from './transport.ts';
import type { ExecRequest, ExecResult, Execution } from './transport.ts';

export interface ExecChannelHost {
  open(command: string): Promise<RemoteChannel>;
  /** The transport's error when the connection was lost meanwhile, else undefined. */
  lostError(): Error | undefined;
  /** The stream's environment and folder, merged under the request's own. */
  env: Record<string, string> | undefined;
  cwd: string | undefined;
}

/** Run `request` in a new exec channel; its pid comes first on stdout, so that kill can reach its process tree. */
export function execInChannel(
  host: ExecChannelHost,
  request: ExecRequest,
  running: Set<RemoteChannel>,
): Execution {
  const prefix = `BATON${randomBytes(6).toString('hex')}_`;
  let pid: number | undefined;
  let sentSignal: NodeJS.Signals | undefined;
  let pidArrived = () => undefined as void;
  const pidKnown = new Promise<void>((resolve) => (pidArrived = resolve));
  const parser = new SentinelParser(prefix, {
    data: (chunk) => request.onStdout(chunk),
    marker: (marker) => {
      pid = marker.value;
      pidArrived();
    },
  });
  const command = plainShellCommand(
    execChannelCommand(prefix, {
      command: request.command,
      env: requestEnv(request, host.env),
      cwd: request.cwd ?? host.cwd,
    }),
  );
  const result = (async (): Promise<ExecResult> => {
    const channel = await host.open(command);
    running.add(channel);
    channel.stdin.end();
    channel.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => request.onStderr(chunk));
    const exit = await channel.closed;
    parser.end();
    running.delete(channel);
    pidArrived();
    const lost = host.lostError();
    if (lost) throw lost;
    if (exit.signal !== null) return { exitCode: null, signal: exit.signal };
    if (exit.code === null) return { exitCode: null, signal: sentSignal ?? null };
    return resultOfStatus(exit.code, sentSignal);
  })();
  return {
    result,
    kill: async (signal = 'SIGTERM') => {
      sentSignal = signal;
      await pidKnown;
      if (pid === undefined || host.lostError()) return;
      const killer = await host.open(killTreeCommand(pid, signal, true));
      killer.stdout.resume();
      killer.stderr.resume();
      killer.stdin.end();
      await killer.closed;
    },
  };
}
