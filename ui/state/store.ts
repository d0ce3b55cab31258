import type { JobView } from '../view/job-view.ts';
import type { Effect, UiState } from './model.ts';
import { reduce } from './reduce.ts';
import type { Input } from './reduce.ts';

/** The shortest time between two frames: at most one frame every 33 ms, whatever arrives in between. */
export const FRAME_MS = 33;

/**
 * Holds the console's state and the job's view, runs keys through the reducer, and tells React to render at
 * most once per frame: journal events and keys that arrive within a frame are all applied (no data is dropped),
 * and only the frames between are skipped.
 */
export class ConsoleStore {
  ui: UiState;
  readonly view: JobView;
  private frame = 0;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private onEffects: ((effects: Effect[]) => void) | undefined;
  /** Effects of keys pressed before anything handles them (the screen is drawn before the job starts). */
  private waiting: Effect[] = [];

  constructor(ui: UiState, view: JobView) {
    this.ui = ui;
    this.view = view;
  }

  /** From now on `handler` receives the reducer's effects, first those that waited for it. */
  handleEffects(handler: (effects: Effect[]) => void): void {
    this.onEffects = handler;
    const waiting = this.waiting;
    this.waiting = [];
    if (waiting.length > 0) handler(waiting);
  }

  dispatch(input: Input): void {
    const { state, effects } = reduce(this.ui, input, this.view);
    this.ui = state;
    this.changed();
    if (effects.length === 0) return;
    if (this.onEffects) this.onEffects(effects);
    else this.waiting.push(...effects);
  }

  /** Something the view shows changed: a frame is drawn within FRAME_MS. */
  changed(): void {
    if (this.timer) return;
    const wait = Math.max(0, FRAME_MS - (performance.now() - this.lastFrameAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastFrameAt = performance.now();
      this.frame++;
      for (const listener of this.listeners) listener();
    }, wait);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): number => this.frame;

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }
}
