// @jsxRuntime automatic
// @jsxImportSource react
import { Box, Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { helpLines } from '../state/bindings.ts';
import type { BindingContext } from '../state/bindings.ts';
import { PANES } from '../state/model.ts';
import type { UiState } from '../state/model.ts';
import type { ConsoleStore } from '../state/store.ts';
import type { JobView } from '../view/job-view.ts';
import { caretLine, Line } from './line.tsx';
import { ProposalLine, ReplayStrip, replayRows } from './prompts.tsx';
import {
  BarriersPane,
  ChartsPane,
  ComparePane,
  LogPane,
  QueuePane,
  StreamsPane,
  VariantsPane,
} from './panes.tsx';
import type { PaneProps } from './panes.tsx';

/** Below this size the panes do not fit: a notice is shown instead of a broken layout. */
export const MIN_COLS = 60;
export const MIN_ROWS = 16;

const PANE_VIEWS = {
  streams: StreamsPane,
  queue: QueuePane,
  compare: ComparePane,
  barriers: BarriersPane,
  variants: VariantsPane,
  log: LogPane,
  charts: ChartsPane,
} as const;

function Tabs({ ui }: { ui: UiState }) {
  return (
    <Line bold>
      {PANES.map((pane, index) =>
        pane === ui.pane ? `[${index + 1} ${pane}]` : ` ${index + 1} ${pane} `,
      ).join(' ')}
    </Line>
  );
}

function Help({ ui, height }: { ui: UiState; height: number }) {
  const context: BindingContext = ui.pane;
  const lines = helpLines(context, ui.helpFilter, ['proposal', 'replay']);
  return (
    <Box flexDirection="column" height={height}>
      <Line bold color="cyan">{`help: ${ui.pane} (type to filter: ${ui.helpFilter}, Esc closes)`}</Line>
      {lines.slice(0, height - 1).map((line) => (
        <Line key={line}>{line}</Line>
      ))}
    </Box>
  );
}

function statusText(ui: UiState, view: JobView): string {
  if (ui.mode === 'attach')
    return `attached to ${ui.attached ?? ''}: keys go to the program; ${ui.detachKey} detaches (twice: sends it)`;
  if (ui.mode === 'filter') return `/${ui.filterText}   (Enter keeps, Esc clears, ! inverts, Up recalls)`;
  if (ui.notice !== '') return ui.notice;
  return view.hint;
}

function CommandLine({ ui }: { ui: UiState }) {
  if (ui.mode !== 'command') return <Line dim>{': command line   ? help   q quit'}</Line>;
  const before = ui.line.slice(0, ui.cursor);
  const at = ui.line[ui.cursor] ?? ' ';
  const after = ui.line.slice(ui.cursor + 1);
  const prompt = ui.heredocTag ? `${ui.heredocTag}> ` : ':';
  return (
    <Line>
      {prompt}
      {before}
      <Text inverse>{at}</Text>
      {after}
    </Line>
  );
}

function Below({ ui }: { ui: UiState }) {
  if (ui.lineError)
    return <Line color="red">{caretLine(ui.lineError.col, ui.lineError.message, ui.cols)}</Line>;
  if (ui.completions.length > 0) return <Line color="yellow">{ui.completions.join('  ')}</Line>;
  return null;
}

/** The console's screen: tabs, the focused pane (or help), the status line and the command line. */
export function App({ store }: { store: ConsoleStore }) {
  useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { ui, view } = store;
  if (ui.cols < MIN_COLS || ui.rows < MIN_ROWS)
    return (
      <Box flexDirection="column">
        <Line color="yellow">{`terminal too small: ${ui.cols}x${ui.rows}`}</Line>
        <Line>{`the console needs ${MIN_COLS}x${MIN_ROWS}; q quits`}</Line>
      </Box>
    );
  const extra = ui.lineError || ui.completions.length > 0 ? 1 : 0;
  // One row is left free: a frame as high as the terminal makes ink clear the whole screen on every frame.
  const height = ui.rows - 4 - extra - replayRows(view) - (view.proposals.length > 0 ? 1 : 0);
  const props: PaneProps = { ui, view, width: ui.cols, height };
  const Pane = PANE_VIEWS[ui.pane];
  return (
    <Box flexDirection="column" width={ui.cols} height={ui.rows - 1}>
      <Tabs ui={ui} />
      <ReplayStrip view={view} width={ui.cols} />
      {ui.mode === 'help' ? <Help ui={ui} height={height} /> : <Pane {...props} />}
      <ProposalLine view={view} />
      <Line color={ui.mode === 'attach' ? 'magenta' : 'yellow'}>{statusText(ui, view)}</Line>
      <CommandLine ui={ui} />
      <Below ui={ui} />
    </Box>
  );
}
