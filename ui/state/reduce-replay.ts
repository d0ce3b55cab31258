import type { Key } from '../input/keys.ts';
import type { JobView } from '../view/job-view.ts';
import { REPLAY_PHASES } from '../view/replay-view.ts';
import { bindingFor, keyId } from './bindings.ts';
import type { Effect, ReplayAction, UiState } from './model.ts';

type Transition = { state: UiState; effects: Effect[] };

/** The command line opened on `text`, the cursor at its end. */
export function openLine(state: UiState, text: string): UiState {
  const { lineError: _, ...rest } = state;
  return {
    ...rest,
    mode: 'command',
    line: text,
    cursor: text.length,
    completions: [],
    historyAt: state.history.length,
  };
}

/**
 * The keys of the prompts that come before the panes' keys: a proposed expectation (R3) first, then the
 * replay's keys that act in its current phase. Undefined when the key is not theirs.
 */
export function promptKey(state: UiState, key: Key, view: JobView): Transition | undefined {
  const id = keyId(key);
  const proposal = view.proposals[0];
  if (proposal !== undefined)
    switch (bindingFor('proposal', id, false)?.name) {
      case 'proposal-accept':
        return {
          state: { ...state, notice: `kept: ${proposal}` },
          effects: [{ type: 'run', line: proposal }, { type: 'proposal-done' }],
        };
      case 'proposal-edit':
        return { state: openLine(state, proposal), effects: [{ type: 'proposal-done' }] };
      case 'proposal-dismiss':
        return { state: { ...state, notice: '' }, effects: [{ type: 'proposal-done' }] };
      default:
        break;
    }
  const replay = view.replay;
  const binding = replay ? bindingFor('replay', id, false) : undefined;
  if (!replay || !binding || !REPLAY_PHASES[binding.name]?.includes(replay.phase)) return undefined;
  if (binding.name === 'replay-edit') {
    const step = replay.steps[replay.current];
    if (!step) return undefined;
    if (!step.editable)
      return {
        state: { ...state, notice: 'a block step is edited in the script: r redo, s skip, t take over' },
        effects: [],
      };
    return { state: { ...openLine(state, step.text), editingStep: step.number }, effects: [] };
  }
  const action = binding.name.slice('replay-'.length) as ReplayAction;
  return { state: { ...state, notice: '' }, effects: [{ type: 'replay', action }] };
}

/** `save FILE` typed at the command line: the effect, or the column and message of what is missing. */
export function saveLine(text: string): Effect | { col: number; message: string } {
  const file = text.trim().slice('save'.length).trim();
  if (file === '') return { col: text.length + 1, message: 'save FILE: name the file' };
  return { type: 'save', file };
}
