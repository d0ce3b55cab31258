// A development entry: `node --import=tsx ui/console/dev-entry.ts [console options]` runs the console alone.
import { consoleCommand } from './command.ts';

const controller = new AbortController();
process.once('SIGTERM', () => controller.abort('SIGTERM'));
const code = await consoleCommand.run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
setTimeout(() => process.exit(code), 1000).unref();
