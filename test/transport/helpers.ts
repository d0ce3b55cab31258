import type { ExecRequest, ExecResult, Execution, Transport } from '../../src/transport/transport.ts';

/** What one command delivered: its text, how it came (chunk counts and sizes), and its result. */
export interface Captured {
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stdoutChunks: number;
  largestChunk: number;
  stderrCalls: number;
}

export interface Running {
  execution: Execution;
  /** Output so far; it keeps growing while the command runs. */
  output: Captured;
  done: Promise<Captured & ExecResult>;
}

/** Start `command`, recording its output as it arrives (never more than the decoded text is kept). */
export function start(
  transport: Transport,
  command: string,
  extra: Partial<Pick<ExecRequest, 'env' | 'cwd' | 'probe'>> = {},
): Running {
  const output: Captured = {
    stdout: '',
    stderr: '',
    stdoutBytes: 0,
    stdoutChunks: 0,
    largestChunk: 0,
    stderrCalls: 0,
  };
  const execution = transport.exec({
    command,
    ...extra,
    onStdout: (chunk) => {
      output.stdoutBytes += chunk.length;
      output.stdoutChunks += 1;
      output.largestChunk = Math.max(output.largestChunk, chunk.length);
      if (output.stdout.length < 65_536) output.stdout += chunk.toString();
    },
    onStderr: (chunk) => {
      output.stderrCalls += 1;
      output.stderr += chunk.toString();
    },
  });
  const done = execution.result.then((result) => ({ ...output, ...result }));
  return { execution, output, done };
}

export function run(
  transport: Transport,
  command: string,
  extra: Partial<Pick<ExecRequest, 'env' | 'cwd' | 'probe'>> = {},
): Promise<Captured & ExecResult> {
  return start(transport, command, extra).done;
}

export { isAlive } from '../helpers/process.ts';

export const MEBIBYTE = 1024 * 1024;
