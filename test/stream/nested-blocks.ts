/** Module blocks of the namespace-host tests (not a test file: shipped to a host and run there). */
import { readFileSync } from 'node:fs';
import type { BlockContext } from '../../src/stream/module-runtime.ts';

/**
 * Opens a stream on BATON_TEST_FAR_HOST (an ssh_config alias of this host's home) and waits there at the
 * controller's barrier `meet` of 2; the whiteboard says how the nested task ended, on which host it ran and from where its connection came.
 */
export async function barrierFromFar(context: BlockContext): Promise<void> {
  const far = await context.open('far', context.env.BATON_TEST_FAR_HOST);
  const record = await far.runFg('bash "$BATON_SYNC_SH" wait meet 2 60 && hostname && echo $SSH_CONNECTION', {
    ignoreErrors: true,
  });
  const said = record.paths ? readFileSync(record.paths.stdout, 'utf8').trim().replaceAll('\n', ' ') : '';
  context.whiteboard.write(`${record.status} ${record.exitCode} ${said}\n`);
}
