import { EXIT } from '../errors.ts';
import { cli } from './cli.ts';
import type { Registry } from './registry.ts';

/**
 * Run a program's command line in this process: the process's argv and streams, interrupts turned into an
 * aborted signal, and an exit code that a forgotten handle cannot hold back.
 */
export async function main(registry: Registry): Promise<void> {
  // The first SIGINT, SIGTERM or SIGHUP (the terminal closed) interrupts (streams closed, reports written); a
  // second SIGINT or SIGTERM exits at once, once the command has written synchronously what it must
  // (`stopNow`). Later SIGHUPs are ignored: a closed terminal hangs up more than once (the kernel, when the
  // terminal's master side closes, and the terminal program), and nobody is left to want it cut short.
  // Writes to that terminal (EIO) or to a reader gone (EPIPE) fail: what is written there is lost, and the
  // command goes on to end its own way.
  for (const output of [process.stdout, process.stderr]) output.on('error', ignoreLostReader);
  const controller = new AbortController();
  const stopNow = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      controller.abort(signal);
      if (signal === 'SIGHUP') {
        process.on(signal, () => undefined);
        return;
      }
      process.once(signal, () => {
        stopNow.abort(signal);
        process.exit(EXIT.interrupted);
      });
    });
  }

  const code = await cli(
    process.argv.slice(2),
    {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      signal: controller.signal,
      stopNow: stopNow.signal,
    },
    registry,
  );
  process.exitCode = code;
  // Whatever a command left open (a connection mid-handshake) must not keep a finished command alive.
  setTimeout(() => process.exit(code), 1000).unref();
}

function ignoreLostReader(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EIO' && error.code !== 'EPIPE') throw error;
}
