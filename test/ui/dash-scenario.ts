import type { ScenarioContext } from '../../src/index.ts';

/** Three streams meet at two barriers, `ready` then `done`, with the controller: a job for the dashboard to show. */
export default async function dashScenario({ open, group, barrier }: ScenarioContext): Promise<void> {
  const streams = group(await Promise.all(['alpha', 'beta', 'gamma'].map((name) => open(name))));
  streams.runBg(
    'bash "$BATON_SYNC_SH" wait ready 4 30 && echo ready && bash "$BATON_SYNC_SH" wait done 4 30',
  );
  await barrier('ready', 4, { timeoutMs: 30_000 });
  await barrier('done', 4, { timeoutMs: 30_000 });
  await streams.wait();
}
