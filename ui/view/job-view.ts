import { initialState, reduce } from '../../src/controller/state.ts';
import type { JobState } from '../../src/controller/state.ts';
import type { JournalEvent } from '../../src/journal/events.ts';
import { describeEvent } from './describe.ts';
import type { ReplayView } from './replay-view.ts';
import { LineRing, TextLines } from './text-lines.ts';

/** A node of the loaded variant tree, as the variants pane lists it. */
export interface TreeRow {
  path: string;
  name: string;
  depth: number;
  mux: boolean;
  leaf: boolean;
}

export interface ParamRow {
  key: string;
  value: string;
  /** The tree path that set the value. */
  origin: string;
}

export interface VariantRow {
  id: string;
  paths: string[];
  params: ParamRow[];
}

/** The variant tree and the variants the current filter keeps (computed by the console, not the reducer). */
export interface VariantsView {
  files: string[];
  rows: TreeRow[];
  filter: string;
  count: number;
  /** The first variants the filter keeps. */
  variants: VariantRow[];
  error?: string;
}

/** The last command that ran on several streams: what the compare pane groups. */
export interface CompareView {
  block: string;
  tasks: string[];
}

const LOG_KEPT = 2000;
const TASKS_KEPT_PER_STREAM = 200;

/**
 * What the console shows, folded from the journal with the controller's own reducer (so the console and
 * `expect` see the same state), plus the views only the console needs: the log in words, each stream's task
 * list, the last command run on several streams, terminal screens and the variant tree. It is mutated in
 * place (a copy per event would cost the whole job per event); `version` counts the changes.
 */
export class JobView {
  readonly job: JobState = initialState();
  readonly log = new LineRing(LOG_KEPT);
  readonly tasksOf = new Map<string, string[]>();
  /** The command line a task runs (the journal names its block only). */
  readonly commandOf = new Map<string, string>();
  readonly terminals = new Map<string, TextLines>();
  /** Streams that have a terminal (attach works on them). */
  readonly withTerminal = new Set<string>();
  compare: CompareView | undefined;
  /** Tasks of the `fg` commands still running: what Ctrl-C cancels. */
  readonly foreground = new Map<number, string[]>();
  variants: VariantsView = { files: [], rows: [], filter: '', count: 0, variants: [] };
  /** The line under the panes when nothing else is said there. */
  hint = '';
  /** The replay shown in the console (`baton replay SCRIPT` on a terminal). */
  replay: ReplayView | undefined;
  /** Output expectations proposed after the last step typed (R3), the first one in the prompt. */
  proposals: string[] = [];
  /** Hosts declared with `host NAME = SPEC` (completion, and the parse of typed lines). */
  hosts: Record<string, string> = {};
  version = 0;
  /** The variant bound with `variant ID|FILTER` (the controller's bind-variant), as it was selected. */
  bound: string | undefined;
  private binding = new Map<number, string>();
  private open: { id: number; kind: string; block: string; tasks: string[] } | undefined;

  apply(event: JournalEvent): void {
    reduce(this.job, event);
    this.version++;
    switch (event.kind) {
      case 'command':
        if (event.command.kind === 'bind-variant' && typeof event.command.variant === 'string')
          this.binding.set(event.id, event.command.variant);
        if (event.command.kind === 'bg' || event.command.kind === 'fg') {
          const block = event.command.block;
          this.open = {
            id: event.id,
            kind: event.command.kind,
            block: typeof block === 'string' ? block : 'block',
            tasks: [],
          };
          if (event.command.kind === 'fg') this.foreground.set(event.id, this.open.tasks);
        }
        break;
      case 'command-end': {
        this.foreground.delete(event.id);
        const variant = this.binding.get(event.id);
        this.binding.delete(event.id);
        if (variant !== undefined && event.ok) this.bound = variant;
        if (this.open?.id === event.id) this.open = undefined;
        break;
      }
      case 'task-queued': {
        if (this.open) {
          this.open.tasks.push(event.task);
          this.commandOf.set(event.task, this.open.block);
          // Shown while it runs: the compare view fills in as the streams answer.
          if (this.open.tasks.length > 1) this.compare = { block: this.open.block, tasks: this.open.tasks };
        }
        const list = this.tasksOf.get(event.stream) ?? [];
        list.push(event.task);
        if (list.length > TASKS_KEPT_PER_STREAM)
          for (const dropped of list.splice(0, list.length - TASKS_KEPT_PER_STREAM))
            this.commandOf.delete(dropped);
        this.tasksOf.set(event.stream, list);
        break;
      }
      default:
        break;
    }
    const line = describeEvent(event);
    if (line !== undefined) this.log.push(line);
  }

  /** A line the console itself says (a step's facts, an error): in the log. */
  say(text: string): void {
    for (const line of text.split('\n')) this.log.push(`  ${line}`);
    this.version++;
  }

  /** Output of a stream's terminal, as a user attached to it would see it. */
  terminalData(stream: string, data: string): void {
    let lines = this.terminals.get(stream);
    if (!lines) this.terminals.set(stream, (lines = new TextLines(1000)));
    lines.write(data);
    this.version++;
  }

  setVariants(variants: VariantsView): void {
    this.variants = variants;
    this.version++;
  }

  /** The streams in the order they were opened. */
  streamNames(): string[] {
    return Object.keys(this.job.streams);
  }
}
