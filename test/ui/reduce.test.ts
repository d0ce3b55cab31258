import test from 'ava';
import { BINDINGS } from '../../ui/state/bindings.ts';
import type { Binding } from '../../ui/state/bindings.ts';
import { initialUi } from '../../ui/state/model.ts';
import type { Pane, UiState } from '../../ui/state/model.ts';
import { reduce } from '../../ui/state/reduce.ts';
import type { Key } from '../../ui/input/keys.ts';
import { replayView, sampleView, typeChunks } from './support.ts';
import { REPLAY_PHASES } from '../../ui/view/replay-view.ts';

const base = initialUi(120, 40);

test('a line typed as one burst runs once, as if typed key by key', (t) => {
  const view = sampleView();
  const burst = typeChunks(base, view, [':fg s1: echo hi\r']);
  const oneByOne = typeChunks(base, view, [...':fg s1: echo hi\r']);
  t.deepEqual(burst.effects, [{ type: 'run', line: 'fg s1: echo hi' }]);
  t.deepEqual(oneByOne.effects, burst.effects);
  t.is(burst.state.mode, 'normal');
  t.deepEqual(burst.state.history, ['fg s1: echo hi']);
});

test('Tab then j in one chunk: the pane switches first, then j moves in the new pane', (t) => {
  const view = sampleView();
  const { state } = typeChunks(base, view, ['\tj\t']);
  t.is(state.pane, 'compare');
  t.is(state.selected.queue, 0, 'the queue of s1 holds one task: j stays on it');
  const down = typeChunks(base, view, ['jj']);
  t.is(down.state.selected.streams, 2);
});

test('a bracketed paste in the command line inserts its text without submitting', (t) => {
  const view = sampleView();
  const { state, effects } = typeChunks(base, view, [':', '\x1b[200~fg s1: echo a\recho b\x1b[201~']);
  t.deepEqual(effects, []);
  t.is(state.mode, 'command');
  t.is(state.line, 'fg s1: echo a echo b');
  const submitted = typeChunks(state, view, ['\r']);
  t.deepEqual(submitted.effects, [{ type: 'run', line: 'fg s1: echo a echo b' }]);
});

test('a typo runs nothing and marks its column', (t) => {
  const view = sampleView();
  const { state, effects } = typeChunks(base, view, [':fg nosuch: true\r']);
  t.deepEqual(effects, []);
  t.is(state.mode, 'command');
  t.is(state.lineError?.col, 4);
  t.regex(state.lineError?.message ?? '', /SESSION_/);
  const word = typeChunks(base, view, [':frob s1\r']);
  t.deepEqual(word.effects, []);
  t.is(word.state.lineError?.col, 1);
});

test('lines typed ahead may use the streams and groups of the lines queued before them', (t) => {
  const view = sampleView();
  const typed = typeChunks(base, view, [
    ':open s9 on local\r:open s10 on local\r:group both = s9,s10\r:bg @both: true\r:fg s10: true\r',
  ]);
  t.is(typed.state.lineError, undefined);
  t.deepEqual(
    typed.effects.map((effect) => ('line' in effect ? effect.line : effect.type)),
    ['open s9 on local', 'open s10 on local', 'group both = s9,s10', 'bg @both: true', 'fg s10: true'],
  );
  const typo = typeChunks(typed.state, view, [':fg s11: true\r']);
  t.deepEqual(typo.effects, []);
  t.is(typo.state.lineError?.col, 4);
});

test('Tab completes command words, streams and variant ids; Up and Down walk the history', (t) => {
  const view = sampleView();
  t.is(typeChunks(base, view, [':ope\t']).state.line, 'open ');
  t.is(typeChunks(base, view, [':close w\t']).state.line, 'close web ');
  t.is(typeChunks(base, view, [':variant run-b\t']).state.line, 'variant run-b-5678 ');
  const ambiguous = typeChunks(base, view, [':fg s\t']).state;
  t.is(ambiguous.line, 'fg s');
  t.deepEqual(ambiguous.completions, ['s1', 's2']);
  const ran = typeChunks(base, view, [':mark one\r', ':mark two\r']).state;
  const back = typeChunks(ran, view, [':\x1b[A\x1b[A']).state;
  t.is(back.line, 'mark one');
  t.is(typeChunks(back, view, ['\x1b[B\x1b[B']).state.line, '');
});

test('Ctrl-C cancels the foreground task, clears the line, and never quits', (t) => {
  const view = sampleView();
  const cancel = typeChunks(base, view, ['\x03']);
  t.deepEqual(cancel.effects, [{ type: 'cancel', tasks: ['s1-1', 's2-1'] }]);
  const line = typeChunks(base, view, [':fg s1: sleep 9', '\x03']);
  t.is(line.state.line, '');
  t.is(line.state.mode, 'command');
  t.deepEqual(line.effects, []);
});

test('q asks when streams are open; y quits, anything else stays', (t) => {
  const view = sampleView();
  const asked = typeChunks(base, view, ['q']);
  t.is(asked.state.mode, 'confirm-quit');
  t.deepEqual(asked.effects, []);
  t.deepEqual(typeChunks(asked.state, view, ['y']).effects, [{ type: 'quit' }]);
  t.is(typeChunks(asked.state, view, ['n']).state.mode, 'normal');
});

test('barrier keys become lines: hold the selected barrier, step the held one, hold all, release all', (t) => {
  const view = sampleView();
  const onBarriers = { ...base, pane: 'barriers' as Pane };
  t.deepEqual(typeChunks(onBarriers, view, ['s']).effects, [{ type: 'run', line: 'step ready' }]);
  t.deepEqual(typeChunks(onBarriers, view, ['jh']).effects, [{ type: 'run', line: 'hold go2' }]);
  t.deepEqual(typeChunks(onBarriers, view, ['HR']).effects, [
    { type: 'run', line: 'hold all' },
    { type: 'run', line: 'release all' },
  ]);
});

test('attach forwards every key, records the line on Enter, detaches on Ctrl-] and sends it when pressed twice', (t) => {
  const view = sampleView();
  const attached = typeChunks(base, view, ['j', 'a']).state;
  t.is(attached.mode, 'attach');
  t.is(attached.attached, 's2');
  const typed = typeChunks(attached, view, ['ls -l\x7fa\r']);
  t.deepEqual(typed.effects.at(-1), { type: 'sent', target: 's2', text: 'ls -a' });
  t.deepEqual(
    typed.effects
      .filter((effect) => effect.type === 'input')
      .map((effect) => effect.type === 'input' && effect.data),
    ['l', 's', ' ', '-', 'l', '\x7f', 'a', '\r'],
  );
  const detached = typeChunks(attached, view, ['\x1d']);
  t.is(detached.state.mode, 'normal');
  const twice = typeChunks(attached, view, ['\x1d\x1d']);
  t.is(twice.state.mode, 'attach');
  t.deepEqual(twice.effects, [{ type: 'input', streams: ['s2'], data: '\x1d' }]);
  t.is(typeChunks(base, view, ['a']).state.mode, 'normal', 's1 has no terminal');
});

// A state in which a binding's context is active.
function contextState(binding: Binding): UiState[] {
  const filtered = { ...base, filters: { streams: 's', log: 'x', variants: 'run' } };
  switch (binding.context) {
    case 'global':
      return [
        { ...filtered, selected: { ...base.selected, streams: 1 }, scroll: 30 },
        { ...filtered, pane: 'log', scroll: 30 },
      ];
    case 'command':
      return [{ ...base, mode: 'command', line: 'mark a', cursor: 3, history: ['mark z'], historyAt: 1 }];
    case 'filter':
      return [{ ...base, mode: 'filter', filterText: 'ab', filters: { streams: 'ab' } }];
    case 'help':
      return [{ ...base, mode: 'help', helpFilter: 'ab' }];
    case 'attach':
      return [{ ...base, mode: 'attach', attached: 's2' }];
    case 'replay':
    case 'proposal':
      return [base];
    default:
      return [{ ...base, pane: binding.context, selected: { ...base.selected, compare: 0 } }];
  }
}

// A view in which a binding's prompt is shown: a replay in a phase where the key acts, or a proposal.
function viewFor(binding: Binding) {
  if (binding.context === 'replay') return replayView(REPLAY_PHASES[binding.name]?.[0] ?? 'running');
  const view = sampleView();
  if (binding.context === 'proposal') view.proposals = ['expect s1 stdout /Linux/'];
  return view;
}

function keyOf(id: string): Key {
  if (id === 'space') return { name: 'char', text: ' ', raw: ' ' };
  return id.length === 1 ? { name: 'char', text: id, raw: id } : { name: id, raw: '' };
}

test('every key of the registry does something in its context', (t) => {
  for (const binding of BINDINGS)
    for (const id of binding.keys) {
      const view = viewFor(binding);
      const acted = contextState(binding).some((state) => {
        const next = reduce(state, keyOf(id), view);
        return next.effects.length > 0 || JSON.stringify(next.state) !== JSON.stringify(state);
      });
      t.true(acted, `${binding.context} ${binding.name} (${id})`);
    }
});
