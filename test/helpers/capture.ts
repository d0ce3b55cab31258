import { PassThrough, Readable } from 'node:stream';
import { cli } from '../../src/cli/cli.ts';
import type { CliIO, Registry } from '../../src/cli/cli.ts';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI as a function with captured streams. */
export async function runCli(
  argv: string[],
  options: {
    stdin?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
    signal?: AbortSignal;
    /** The program's commands; the core ones by default. */
    registry?: Registry;
  } = {},
): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CliIO = {
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const code = await cli(argv, io, options.registry);
  return { code, stdout: out, stderr: err };
}
