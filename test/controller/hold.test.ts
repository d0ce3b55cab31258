import test from 'ava';
import type { BatonError } from '../../src/errors.ts';
import { waitFor } from '../helpers/wait.ts';
import { startController } from './support.ts';

const waitAt = (barrier: string, count: number) => `bash "$BATON_SYNC_SH" wait ${barrier} ${count} 60`;

test('a held barrier has all its members but releases only on step; the hold stays for the next generation', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  await controller.execute({ kind: 'hold', barrier: 'ready' });
  const [member] = await controller.execute({ kind: 'bg', target: 'a', block: waitAt('ready', 2) });
  let passed = false;
  const controllerWait = controller.execute({ kind: 'barrier', name: 'ready', count: 2 }).then((go) => {
    passed = true;
    return go;
  });
  await waitFor(() => controller.snapshot().barriers.ready?.state === 'held', { what: 'ready held' });
  const held = controller.snapshot().barriers.ready;
  t.deepEqual([...held.arrived].sort(), ['a', 'console']);
  t.like(held, { count: 2, missingCount: 0, held: true });
  t.false(passed);
  t.is(member.state, 'running');
  t.true(controller.busy() > 0, 'the controller waits at the barrier');
  t.deepEqual(await controller.execute({ kind: 'step' }), { barrier: 'ready', gen: 1 });
  t.like(await controllerWait, { gen: 1 });
  t.like(await member.done, { status: 'passed' });
  t.like(controller.snapshot().barriers.ready, { state: 'go', held: true });
  const phases = job.events.flatMap((event) =>
    event.kind === 'barrier' && event.barrier === 'ready' ? [event.phase] : [],
  );
  t.deepEqual(phases.slice(-3), ['held', 'released', 'go']);

  const [again] = await controller.execute({ kind: 'bg', target: 'a', block: waitAt('ready', 2) });
  const second = controller.execute({ kind: 'barrier', name: 'ready', count: 2 });
  await waitFor(
    () =>
      controller.snapshot().barriers.ready?.state === 'held' &&
      controller.snapshot().barriers.ready?.gen === 2,
    {
      what: 'generation 2 held',
    },
  );
  t.deepEqual(await controller.execute({ kind: 'release', barrier: 'ready' }), [
    { barrier: 'ready', gen: 2 },
  ]);
  await second;
  t.like(await again.done, { status: 'passed' });
  t.false(controller.snapshot().barriers.ready.held);
});

test('hold all holds every barrier; step releases the oldest full one first, release all the rest', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  await controller.execute({ kind: 'open', stream: 'b', host: 'local' });
  await controller.execute({ kind: 'open', stream: 'c', host: 'local' });
  await controller.execute({ kind: 'open', stream: 'd', host: 'local' });
  await controller.execute({ kind: 'hold', all: true });
  const [first] = await controller.execute({ kind: 'bg', target: 'a', block: waitAt('one', 2) });
  const [firstPeer] = await controller.execute({ kind: 'bg', target: 'b', block: waitAt('one', 2) });
  await waitFor(() => controller.snapshot().barriers.one?.state === 'held', { what: 'one held' });
  const [second, secondPeer] = await controller.execute({
    kind: 'bg',
    target: '{c,d}',
    block: waitAt('two', 2),
  });
  await waitFor(() => controller.snapshot().barriers.two?.state === 'held', { what: 'two held' });
  t.deepEqual(await controller.execute({ kind: 'step' }), { barrier: 'one', gen: 1 });
  t.like(await first.done, { status: 'passed' });
  t.like(await firstPeer.done, { status: 'passed' });
  t.is(second.state, 'running');
  t.deepEqual(await controller.execute({ kind: 'release' }), [{ barrier: 'two', gen: 1 }]);
  t.like(await second.done, { status: 'passed' });
  t.like(await secondPeer.done, { status: 'passed' });
  t.like(controller.snapshot().holding, { all: false, barriers: [] });
  const error = await t.throwsAsync<BatonError>(controller.execute({ kind: 'step' }));
  t.is(error?.code, 'BARRIER_NOT_HELD');
});
