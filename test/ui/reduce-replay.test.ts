import test from 'ava';
import { initialUi } from '../../ui/state/model.ts';
import { replayView, sampleView, typeChunks } from './support.ts';

const base = initialUi(120, 40);

test('paused: n steps, c continues, t takes over; p pauses a running replay', (t) => {
  const paused = replayView('paused');
  t.deepEqual(typeChunks(base, paused, ['n']).effects, [{ type: 'replay', action: 'step' }]);
  t.deepEqual(typeChunks(base, paused, ['c']).effects, [{ type: 'replay', action: 'continue' }]);
  t.deepEqual(typeChunks(base, paused, ['t']).effects, [{ type: 'replay', action: 'takeover' }]);
  t.deepEqual(typeChunks(base, paused, ['p']).effects, [], 'a paused replay has nothing to pause');
  const running = replayView('running');
  t.deepEqual(typeChunks(base, running, ['p']).effects, [{ type: 'replay', action: 'pause' }]);
  t.deepEqual(typeChunks(base, running, ['n']).effects, [], 'n steps only a paused replay');
});

test('at a failed step: r redoes, s skips, e puts the line in the command line and Enter runs the edit', (t) => {
  const failed = replayView('failed');
  t.deepEqual(typeChunks(base, failed, ['r']).effects, [{ type: 'replay', action: 'redo' }]);
  t.deepEqual(typeChunks(base, failed, ['s']).effects, [{ type: 'replay', action: 'skip' }]);
  const editing = typeChunks(base, failed, ['e']).state;
  t.is(editing.mode, 'command');
  t.is(editing.line, 'fg s1: false');
  t.is(editing.editingStep, 2);
  const edited = typeChunks(editing, failed, ['\x7f\x7f\x7f\x7f\x7ftrue\r']);
  t.deepEqual(edited.effects, [{ type: 'replay-edit', line: 'fg s1: true' }]);
  t.is(edited.state.editingStep, undefined);
  t.is(edited.state.mode, 'normal');
  const typo = typeChunks(editing, failed, ['\x15fg nosuch: true\r']);
  t.deepEqual(typo.effects, [], 'a typo in the edit runs nothing');
  t.is(typo.state.lineError?.col, 4);
  t.is(typeChunks(editing, failed, ['\x1b']).state.editingStep, undefined, 'Esc gives the edit up');
});

test('the same keys in one burst act as typed one by one, and on the barriers pane too', (t) => {
  const failed = replayView('failed');
  const onBarriers = { ...base, pane: 'barriers' as const };
  t.deepEqual(typeChunks(onBarriers, failed, ['s']).effects, [{ type: 'replay', action: 'skip' }]);
  t.deepEqual(typeChunks(onBarriers, replayView('paused'), ['s']).effects, [
    { type: 'run', line: 'step ready' },
  ]);
  const burst = typeChunks(base, failed, ['e\x15mark fixed\r']);
  t.deepEqual(burst.effects, [{ type: 'replay-edit', line: 'mark fixed' }]);
  t.deepEqual(typeChunks(base, failed, [...'e\x15mark fixed\r']).effects, burst.effects);
});

test('w asks for the file, next to the script by default; save FILE saves; a bare save is an error', (t) => {
  const done = replayView('done');
  const asked = typeChunks(base, done, ['w']).state;
  t.is(asked.mode, 'command');
  t.is(asked.line, 'save x.edited.baton');
  t.deepEqual(typeChunks(asked, done, ['\r']).effects, [{ type: 'save', file: 'x.edited.baton' }]);
  t.deepEqual(typeChunks(base, sampleView(), [':save out.baton\r']).effects, [
    { type: 'save', file: 'out.baton' },
  ]);
  const bare = typeChunks(base, sampleView(), [':save\r']);
  t.deepEqual(bare.effects, []);
  t.is(bare.state.lineError?.col, 5);
  t.deepEqual(typeChunks(base, done, ['t', 'n']).effects, [], 'a finished replay takes no replay keys');
});

test('a proposed expectation: y keeps it, n drops it, e edits it; its keys come before the replay keys', (t) => {
  const view = replayView('paused');
  view.proposals = ['expect s1 stdout /pid=\\d+ ready/'];
  t.deepEqual(typeChunks(base, view, ['y']).effects, [
    { type: 'run', line: 'expect s1 stdout /pid=\\d+ ready/' },
    { type: 'proposal-done' },
  ]);
  t.deepEqual(typeChunks(base, view, ['n']).effects, [{ type: 'proposal-done' }]);
  const edit = typeChunks(base, view, ['e']);
  t.deepEqual(edit.effects, [{ type: 'proposal-done' }]);
  t.is(edit.state.mode, 'command');
  t.is(edit.state.line, 'expect s1 stdout /pid=\\d+ ready/');
  view.proposals = [];
  t.deepEqual(typeChunks(base, view, ['n']).effects, [{ type: 'replay', action: 'step' }]);
});
