// `baton dash` as a program of its own, for the terminal tests: the dashboard command behind a minimal CLI.
import { exitCodeOf, isBatonError } from '../../src/errors.ts';
import { dashCommand } from '../../ui/dash/command.ts';

let code: number;
try {
  code = await dashCommand.run(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
} catch (error) {
  process.stderr.write(`baton: ${isBatonError(error) ? `${error.code}: ${error.located}` : String(error)}\n`);
  code = exitCodeOf(error);
}
process.exit(code);
