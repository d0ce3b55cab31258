import test from 'ava';
import { startController } from '../controller/support.ts';
import { waitFor } from '../helpers/wait.ts';
import { replayFile, scriptFile } from './support.ts';

test('expect ... since MARK sees the output events after the mark, also of a task queued before it', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  await controller.execute({
    kind: 'bg',
    target: 'a',
    block: 'echo before; "$BATON_SYNC_SH" wait go 2 >/dev/null; echo after',
  });
  const output = (pattern: string) =>
    controller.execute({
      kind: 'expect',
      expectation: { subject: 'output', stream: 'a', fd: 'stdout', pattern, since: 'm' },
    });
  // The task has printed `before` and waits at the barrier when the mark is set.
  await waitForOutput(controller, 'before\n');
  await controller.execute({ kind: 'mark', name: 'm' });
  await controller.execute({ kind: 'barrier', name: 'go', count: 2 });
  await controller.execute({ kind: 'wait', target: 'a' });
  await t.notThrowsAsync(output('^after$'));
  const error = await t.throwsAsync(output('before'));
  t.is((error as { code?: string }).code, 'EXPECT_FAILED');
});

async function waitForOutput(
  controller: Awaited<ReturnType<typeof startController>>['controller'],
  text: string,
) {
  await waitFor(() => Object.values(controller.snapshot().tasks).some((task) => task.stdout === text), {
    what: `output ${JSON.stringify(text)}`,
  });
}

test('a step that times out gives its busy units back: finally paces on its own work and passes', async (t) => {
  const { path } = scriptFile([
    '# baton session 1',
    '# timeout=3s',
    'open a on local',
    'open b on local',
    'barrier never 3',
    'finally',
    'fg b: echo teardown-ran',
    'expect b stdout /teardown-ran/',
  ]);
  const job = await replayFile(path);
  t.teardown(job.close);
  t.is(job.outcomes.length, 1);
  t.like(job.outcomes[0], { name: 'default', failure: { code: 'SESSION_STEP_TIMEOUT', line: 5 } });
  t.is(job.controller.busy(), 0);
  t.true(
    job.events.some((event) => event.kind === 'log' && event.code === 'SESSION_STEP_TIMEOUT'),
    'the give-up is journalled',
  );
});

test('a secret sent to a terminal is in no command event, only its ${secret:NAME} form', async (t) => {
  const { path } = scriptFile([
    '# baton session 1',
    'open p on pty',
    'send --secret PASSWORD p',
    'fg p: true',
  ]);
  const job = await replayFile(path, { env: { PASSWORD: 'hunter2-s3cr3t' } });
  t.teardown(job.close);
  t.deepEqual(
    job.outcomes.map((outcome) => outcome.error?.message),
    [undefined],
  );
  const journal = JSON.stringify(job.events);
  t.false(journal.includes('hunter2-s3cr3t'));
  t.true(journal.includes('${secret:PASSWORD}'));
});
