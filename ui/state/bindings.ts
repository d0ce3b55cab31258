/** Where a key binding applies: a pane, every pane (`global`), or a mode of the console. */
export type BindingContext =
  | 'global'
  | 'streams'
  | 'queue'
  | 'compare'
  | 'barriers'
  | 'variants'
  | 'log'
  | 'charts'
  | 'command'
  | 'filter'
  | 'help'
  | 'attach'
  /** While a replay runs in the console: these keys come before the pane's. */
  | 'replay'
  /** While an output expectation is proposed (R3): these keys come before all others. */
  | 'proposal';

/** One entry of the key registry (K1): the help overlay, the docs and the tests all read it. */
export interface Binding {
  /** The action's name: what the reducer does for it. */
  name: string;
  context: BindingContext;
  /** Key names as `KeySplitter` gives them (`char` keys by their text). */
  keys: readonly string[];
  description: string;
}

export const BINDINGS: readonly Binding[] = [
  { name: 'pane-next', context: 'global', keys: ['tab'], description: 'next pane' },
  { name: 'pane-previous', context: 'global', keys: ['shift-tab'], description: 'previous pane' },
  { name: 'pane-1', context: 'global', keys: ['1'], description: 'streams pane' },
  { name: 'pane-2', context: 'global', keys: ['2'], description: 'queue pane' },
  { name: 'pane-3', context: 'global', keys: ['3'], description: 'compare pane' },
  { name: 'pane-4', context: 'global', keys: ['4'], description: 'barriers pane' },
  { name: 'pane-5', context: 'global', keys: ['5'], description: 'variants pane' },
  { name: 'pane-6', context: 'global', keys: ['6'], description: 'log pane' },
  { name: 'pane-7', context: 'global', keys: ['7'], description: 'charts pane' },
  { name: 'down', context: 'global', keys: ['j', 'down'], description: 'select the next row' },
  { name: 'up', context: 'global', keys: ['k', 'up'], description: 'select the previous row' },
  { name: 'top', context: 'global', keys: ['g', 'home'], description: 'first row' },
  { name: 'bottom', context: 'global', keys: ['G', 'end'], description: 'last row' },
  { name: 'scroll-up', context: 'global', keys: ['pageup', 'ctrl-b'], description: 'scroll the output up' },
  {
    name: 'scroll-down',
    context: 'global',
    keys: ['pagedown', 'ctrl-f'],
    description: 'scroll the output down',
  },
  { name: 'command-line', context: 'global', keys: [':'], description: 'open the command line' },
  { name: 'filter', context: 'global', keys: ['/'], description: 'filter the pane (! inverts)' },
  { name: 'clear-filter', context: 'global', keys: ['escape'], description: 'clear the filter' },
  { name: 'help', context: 'global', keys: ['?'], description: 'help for the pane' },
  { name: 'quit', context: 'global', keys: ['q'], description: 'quit (asks when streams are open)' },
  {
    name: 'interrupt',
    context: 'global',
    keys: ['ctrl-c'],
    description: 'cancel the foreground task; never quits',
  },
  {
    name: 'toggle-target',
    context: 'streams',
    keys: ['space'],
    description: 'toggle the stream in the input-target set',
  },
  { name: 'attach', context: 'streams', keys: ['a', 'return'], description: 'attach to a terminal stream' },
  { name: 'cancel-task', context: 'queue', keys: ['x'], description: 'cancel the selected task' },
  { name: 'expect-block', context: 'compare', keys: ['e'], description: 'expect this output on its streams' },
  { name: 'hold', context: 'barriers', keys: ['h'], description: 'hold the barrier (a breakpoint)' },
  { name: 'step', context: 'barriers', keys: ['s'], description: 'step: release the held barrier' },
  { name: 'hold-all', context: 'barriers', keys: ['H'], description: 'hold every barrier' },
  { name: 'release-all', context: 'barriers', keys: ['R'], description: 'release every held barrier' },
  { name: 'bind-variant', context: 'variants', keys: ['b', 'return'], description: 'bind the variant' },
  {
    name: 'save',
    context: 'global',
    keys: ['w'],
    description: 'save the script: replayed steps and the ones typed by hand (asks for the file)',
  },
  { name: 'replay-step', context: 'replay', keys: ['n'], description: 'run the next step, then pause' },
  { name: 'replay-continue', context: 'replay', keys: ['c'], description: 'run to the end' },
  { name: 'replay-pause', context: 'replay', keys: ['p'], description: 'pause before the next step' },
  { name: 'replay-redo', context: 'replay', keys: ['r'], description: 'at a failed step: run it again' },
  {
    name: 'replay-edit',
    context: 'replay',
    keys: ['e'],
    description: 'at a failed step: edit its line, Enter runs it (saved into the script)',
  },
  { name: 'replay-skip', context: 'replay', keys: ['s'], description: 'at a failed step: skip it' },
  {
    name: 'replay-takeover',
    context: 'replay',
    keys: ['t'],
    description: 'stop the replay here and go on by hand',
  },
  { name: 'proposal-accept', context: 'proposal', keys: ['y'], description: 'keep the proposed expect' },
  {
    name: 'proposal-edit',
    context: 'proposal',
    keys: ['e'],
    description: 'edit the proposed expect in the command line',
  },
  { name: 'proposal-dismiss', context: 'proposal', keys: ['n'], description: 'drop the proposed expect' },
  { name: 'submit', context: 'command', keys: ['return'], description: 'run the line' },
  { name: 'complete', context: 'command', keys: ['tab'], description: 'complete the word' },
  { name: 'history-back', context: 'command', keys: ['up'], description: 'earlier line' },
  { name: 'history-forward', context: 'command', keys: ['down'], description: 'later line' },
  { name: 'cursor-left', context: 'command', keys: ['left'], description: 'cursor left' },
  { name: 'cursor-right', context: 'command', keys: ['right'], description: 'cursor right' },
  { name: 'line-start', context: 'command', keys: ['home', 'ctrl-a'], description: 'start of line' },
  { name: 'line-end', context: 'command', keys: ['end', 'ctrl-e'], description: 'end of line' },
  { name: 'delete-back', context: 'command', keys: ['backspace'], description: 'delete before the cursor' },
  { name: 'delete-forward', context: 'command', keys: ['delete'], description: 'delete at the cursor' },
  { name: 'clear-line', context: 'command', keys: ['ctrl-c', 'ctrl-u'], description: 'clear the line' },
  { name: 'close-line', context: 'command', keys: ['escape'], description: 'close the command line' },
  { name: 'filter-accept', context: 'filter', keys: ['return'], description: 'keep the filter' },
  { name: 'filter-cancel', context: 'filter', keys: ['escape', 'ctrl-c'], description: 'clear the filter' },
  { name: 'filter-delete', context: 'filter', keys: ['backspace'], description: 'delete a character' },
  { name: 'help-close', context: 'help', keys: ['escape', '?'], description: 'close help' },
  { name: 'help-delete', context: 'help', keys: ['backspace'], description: 'delete a filter character' },
  {
    name: 'detach',
    context: 'attach',
    keys: ['ctrl-]'],
    description: 'detach (pressed twice: sends it literally)',
  },
];

/** The binding of `key` in a context, else in `global` (for panes). */
export function bindingFor(context: BindingContext, key: string, withGlobal: boolean): Binding | undefined {
  return (
    BINDINGS.find((binding) => binding.context === context && binding.keys.includes(key)) ??
    (withGlobal
      ? BINDINGS.find((binding) => binding.context === 'global' && binding.keys.includes(key))
      : undefined)
  );
}

/** The registry's name for a key: printable characters by their text (` ` is `space`), the others by name. */
export function keyId(key: { name: string; text?: string }): string {
  if (key.name !== 'char') return key.name;
  return key.text === ' ' ? 'space' : (key.text ?? '');
}

/** Help lines for a context (and the contexts active with it): its own bindings, then the global ones. */
export function helpLines(
  context: BindingContext,
  filter: string,
  active: readonly BindingContext[] = [],
): string[] {
  const wanted = filter.toLowerCase();
  const shown = [...active, context, 'global'];
  return BINDINGS.filter((binding) => shown.includes(binding.context))
    .sort((a, b) => shown.indexOf(a.context) - shown.indexOf(b.context))
    .map((binding) => `${binding.keys.join(' ').padEnd(16)} ${binding.description}`)
    .filter((line) => line.toLowerCase().includes(wanted));
}
