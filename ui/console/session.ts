import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Controller } from '../../src/controller/controller.ts';
import { errorMessage } from '../../src/errors.ts';
import { secretEnvValues } from '../../src/journal/redact.ts';
import { endJob, openJob } from '../../src/report/job-files.ts';
import type { JobFiles } from '../../src/report/job-files.ts';
import { HostBook, readHostsFile } from '../../src/scenario/hosts-file.ts';
import { LineRunner } from '../../src/session/line-runner.ts';
import { sha256 } from '../../src/session/parse.ts';
import { Recorder } from '../../src/session/recorder.ts';
import { variantBook } from '../../src/session/variants.ts';
import type { Stream } from '../../src/stream/stream.ts';
import type { JournalEvent } from '../../src/journal/events.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import type { JobSyncServer } from '../../src/sync/job.ts';
import type { Effect } from '../state/model.ts';
import type { ConsoleStore } from '../state/store.ts';
import { saveScript } from './save-script.ts';
import type { JobView } from '../view/job-view.ts';
import { variantCatalog } from '../view/variant-catalog.ts';

export interface ConsoleSessionOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  argv: string[];
  /** Named hosts, one `NAME = SPEC` a line. */
  hostsFile?: string;
  /** Named hosts already read (`baton replay --hosts`); `hostsFile` is then not read. */
  hostBook?: HostBook;
  /** The environment every stream starts with (a replayed script's secrets). */
  baseEnv?: Record<string, string>;
  variantFiles: string[];
  /** `--filter-only` and `--filter-out` paths of the variant tree. */
  filterOnly?: string[];
  filterOut?: string[];
  /** Where the session script goes. @default <results>/<job>/session.baton */
  record?: string;
  /** @default results */
  resultsBase?: string;
  /** Lines run first, as if typed (the embedded default opens its streams this way, so they are recorded). */
  startLines?: string[];
  hint?: string;
}

// Barrier control runs at once: a step must be able to release the barrier the line before waits at.
const AT_ONCE = /^\s*(hold|step|release)\b/;

/**
 * One console session: its job (journal, results folder, sync server, controller), the recorder that writes
 * the session script, and the line runner it shares with the plain REPL. Keys reach it as the reducer's
 * effects; the journal reaches the screen through the job view and the store's frames.
 */
export class ConsoleSession {
  readonly view: JobView;
  readonly store: ConsoleStore;
  readonly scriptPath: string;
  readonly controller: Controller;
  private readonly job: JobFiles;
  private readonly sync: JobSyncServer;
  private readonly recorder: Recorder;
  readonly runner: LineRunner;
  /** The variants of the session's tree files (`for variant` loops of a replay select from it). */
  readonly book: ReturnType<typeof variantBook>;
  /** Effects the session leaves to what runs inside it (a replay): drive it, save its script. */
  extension: ((effect: Effect) => boolean) | undefined;
  readonly options: ConsoleSessionOptions;
  private readonly terminals = new Map<string, Stream>();
  private queue: Promise<void> = Promise.resolve();
  private quitRequested: (() => void) | undefined;
  /** Resolves when the user quits. */
  readonly quitted: Promise<void>;

  private constructor(
    options: ConsoleSessionOptions,
    store: ConsoleStore,
    job: JobFiles,
    sync: JobSyncServer,
  ) {
    this.options = options;
    this.job = job;
    this.sync = sync;
    this.store = store;
    this.view = store.view;
    const { ui } = store;
    this.quitted = new Promise((resolveQuit) => (this.quitRequested = resolveQuit));
    const { cwd, env } = options;
    const hosts =
      options.hostBook ??
      (options.hostsFile ? readHostsFile(resolve(cwd, options.hostsFile), env) : new HostBook());
    const files = options.variantFiles.map((file) => resolve(cwd, file));
    const book = variantBook({
      files,
      cwd,
      ...(options.filterOnly ? { filterOnly: options.filterOnly } : {}),
      ...(options.filterOut ? { filterOut: options.filterOut } : {}),
    });
    this.book = book;
    this.controller = new Controller({
      journal: job.journal,
      results: job.results,
      sync,
      hosts,
      cwd,
      variants: (selector) => book.find(selector),
      ...(options.baseEnv ? { baseEnv: options.baseEnv } : {}),
    });
    job.journal.subscribe((event) => {
      if (event.kind === 'stream-state' && event.state === 'idle') this.wireTerminal(event.stream);
    });
    this.scriptPath = options.record ? resolve(cwd, options.record) : join(job.results.root, 'session.baton');
    const pins = files.map(
      (file) => `${relative(dirname(this.scriptPath), file)}@${sha256(readFileSync(file, 'utf8'))}`,
    );
    this.recorder = new Recorder(this.scriptPath, job.journal, {
      header: { cols: ui.cols, rows: ui.rows, ...(pins.length > 0 ? { variants: pins.join(',') } : {}) },
      secrets: () => secretEnvValues(env),
    });
    if (files.length > 0)
      this.recorder.write([
        `variants ${files.map((file) => relative(dirname(this.scriptPath), file)).join(' ')}`,
      ]);
    this.runner = new LineRunner({
      controller: this.controller,
      env,
      recorder: this.recorder,
      say: (text) => this.say(text),
      propose: (lines) => {
        this.view.proposals = lines;
        this.store.changed();
      },
    });
    this.view.hint = options.hint ?? '';
    if (files.length > 0) this.view.setVariants(variantCatalog(files, '', cwd));
    for (const line of options.startLines ?? []) void this.enqueue(line);
    store.handleEffects((effects) => this.handle(effects));
  }

  /**
   * Open the job and its sync server; the session's journal feeds the view from the job's first event. The
   * session takes the store over: a screen may already show it.
   */
  static async start(options: ConsoleSessionOptions, store: ConsoleStore): Promise<ConsoleSession> {
    const early: JournalEvent[] = [];
    const made: { session?: ConsoleSession } = {};
    const job = openJob({
      resultsBase: options.resultsBase,
      cwd: options.cwd,
      command: 'console',
      argv: options.argv,
      onJournal: (journal) =>
        journal.subscribe((event) => {
          if (!made.session) return void early.push(event);
          made.session.view.apply(event);
          made.session.store.changed();
        }),
    });
    const sync = await startJobSyncServer(job.journal);
    const session = new ConsoleSession(options, store, job, sync);
    for (const event of early) session.view.apply(event);
    made.session = session;
    return session;
  }

  /** What the reducer asked for. */
  handle(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (this.extension?.(effect)) continue;
      switch (effect.type) {
        case 'run':
          if (AT_ONCE.test(effect.line)) void this.runLine(effect.line);
          else void this.enqueue(effect.line);
          break;
        case 'input':
          for (const name of effect.streams) {
            try {
              this.controller.stream(name)?.terminal?.write(effect.data);
            } catch (error) {
              this.say(`error: ${errorMessage(error)}`);
            }
          }
          break;
        case 'sent':
          if (effect.text.trim() !== '') this.recorder.write([`send ${effect.target}: ${effect.text}`]);
          break;
        case 'cancel':
          for (const task of effect.tasks)
            this.controller
              .execute({ kind: 'cancel', task })
              .catch((error: unknown) => this.say(`error: ${errorMessage(error)}`));
          break;
        case 'filter-variants':
          this.view.setVariants(
            variantCatalog(
              this.options.variantFiles.map((file) => resolve(this.options.cwd, file)),
              effect.filter,
              this.options.cwd,
            ),
          );
          this.store.changed();
          break;
        case 'proposal-done':
          this.view.proposals = this.view.proposals.slice(1);
          this.store.changed();
          break;
        case 'save':
          void this.idle().then(() => this.save(effect.file));
          break;
        case 'replay':
        case 'replay-edit':
          this.say('no replay runs here: baton replay SCRIPT shows one');
          break;
        case 'quit':
          this.quitRequested?.();
          break;
      }
    }
  }

  /** Lines typed run one after the other, in the order typed. */
  enqueue(line: string): Promise<void> {
    this.queue = this.queue.then(() => this.runLine(line));
    return this.queue;
  }

  /** Every line queued so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Close the streams, end the job (reports written) and the script; the script's path. */
  async end(interrupted = false): Promise<string> {
    this.store.dispose();
    await this.controller.dispose();
    await this.sync.close();
    this.recorder.dispose();
    endJob(this.job, { interrupted });
    return this.scriptPath;
  }

  private async runLine(line: string): Promise<void> {
    try {
      const outcome = await this.runner.run(line);
      Object.assign(this.view.hosts, this.runner.known.hosts);
      if (outcome === 'quit') this.quitRequested?.();
    } catch (error) {
      this.say(`error: ${errorMessage(error)}`);
    }
  }

  // The recorded script, as far as it goes, written to `file` (after the lines typed before `save` have run).
  private save(file: string): void {
    const problems = saveScript(resolve(this.options.cwd, file), readFileSync(this.scriptPath, 'utf8'));
    this.tell(problems.length === 0 ? `saved ${file}` : problems.join('\n'));
  }

  /** Say `text` in the log, and show its first line under the panes until the next one. */
  tell(text: string): void {
    this.view.hint = text.split('\n')[0] ?? '';
    this.say(text);
  }

  say(text: string): void {
    this.view.say(text);
    this.store.changed();
  }

  // A stream with a terminal shows what the terminal shows, and can be attached to.
  private wireTerminal(name: string): void {
    const stream = this.controller.stream(name);
    if (!stream?.terminal || this.terminals.get(name) === stream) return;
    this.terminals.set(name, stream);
    this.view.withTerminal.add(name);
    stream.terminal.onData((chunk) => {
      this.view.terminalData(name, chunk.toString());
      this.store.changed();
    });
  }
}
