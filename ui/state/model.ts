/** The panes, in the order Tab and the keys 1..7 walk them. */
export const PANES = ['streams', 'queue', 'compare', 'barriers', 'variants', 'log', 'charts'] as const;
export type Pane = (typeof PANES)[number];

export type Mode = 'normal' | 'command' | 'filter' | 'help' | 'attach' | 'confirm-quit';

/** The console's own state: what the keys change. The job's state comes from the journal (JobView). */
export interface UiState {
  cols: number;
  rows: number;
  pane: Pane;
  mode: Mode;
  /** The command line and its cursor (0-based). */
  line: string;
  cursor: number;
  /** A typo in the last line submitted: its 1-based column and message. Nothing ran. */
  lineError?: { col: number; message: string };
  /** Candidates shown after an ambiguous Tab. */
  completions: string[];
  /** Lines run, oldest first; `historyAt` is history.length while editing a new line. */
  history: string[];
  historyAt: number;
  draft: string;
  /** Names declared by the lines submitted so far: a line typed ahead may use a stream whose `open` is queued. */
  declared: { streams: string[]; groups: string[]; hosts: Record<string, string> };
  /** Inside a `<<TAG` block typed at the command line: the tag that ends it. */
  heredocTag?: string;
  selected: Record<Pane, number>;
  /** Output lines scrolled up from the end (0 follows the output). */
  scroll: number;
  filters: Partial<Record<Pane, string>>;
  filterText: string;
  lastFilter: string;
  helpFilter: string;
  /** The stream attached to, in attach mode. */
  attached?: string;
  /** The detach key was pressed once: a second press sends it literally. */
  detachArmed: boolean;
  /** Text typed while attached since the last Enter: recorded as `send` on Enter. */
  attachLine: string;
  /** The input-target set: streams that also receive what is typed while attached. */
  targets: string[];
  /** @default ctrl-] */
  detachKey: string;
  /** The replay's failed step whose line the command line is editing (P6): Enter runs the edit in its place. */
  editingStep?: number;
  /** A one-line message under the panes (the hint line, an answer to a key). */
  notice: string;
}

/** What the reducer asks of the console: run a line, type into terminals, record, cancel, quit. */
export type Effect =
  /** A typed line, run as one session step and recorded (keys like hold and step become lines too). */
  | { type: 'run'; line: string }
  /** Bytes typed while attached, to every stream of the input-target set. */
  | { type: 'input'; streams: string[]; data: string }
  /** A line typed while attached ended with Enter: recorded as `send TARGET: TEXT`. */
  | { type: 'sent'; target: string; text: string }
  | { type: 'cancel'; tasks: string[] }
  /** The variant filter changed: the console recounts the variants. */
  | { type: 'filter-variants'; filter: string }
  /** Drive the replay shown in the console (P1, P6, P2). */
  | { type: 'replay'; action: ReplayAction }
  /** The failed step's line as edited: run in its place, and saved into the script. */
  | { type: 'replay-edit'; line: string }
  /** Write the script: the replayed steps and the ones typed by hand (P2). */
  | { type: 'save'; file: string }
  /** The first proposed expectation was accepted, edited or dismissed: it leaves the prompt. */
  | { type: 'proposal-done' }
  | { type: 'quit' };

export type ReplayAction = 'step' | 'continue' | 'pause' | 'redo' | 'skip' | 'takeover';

export function initialUi(
  cols: number,
  rows: number,
  options: { detachKey?: string; notice?: string } = {},
): UiState {
  return {
    cols,
    rows,
    pane: 'streams',
    mode: 'normal',
    line: '',
    cursor: 0,
    completions: [],
    history: [],
    historyAt: 0,
    draft: '',
    declared: { streams: [], groups: [], hosts: {} },
    selected: { streams: 0, queue: 0, compare: 0, barriers: 0, variants: 0, log: 0, charts: 0 },
    scroll: 0,
    filters: {},
    filterText: '',
    lastFilter: '',
    helpFilter: '',
    detachArmed: false,
    attachLine: '',
    targets: [],
    detachKey: options.detachKey ?? 'ctrl-]',
    notice: options.notice ?? '',
  };
}
