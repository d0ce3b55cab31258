import type { Disposable, TransportState } from './transport.ts';

type StateListener = (state: TransportState, cause?: Error) => void;

/** A transport's state and its listeners; `closed` is final, and `lost` can only move on to `closed`. */
export class StateCell {
  private current: TransportState = 'opening';
  private readonly listeners = new Set<StateListener>();

  get value(): TransportState {
    return this.current;
  }

  get ended(): boolean {
    return this.current === 'closed' || this.current === 'lost';
  }

  set(next: TransportState, cause?: Error): void {
    if (next === this.current || this.current === 'closed') return;
    if (this.current === 'lost' && next !== 'closed') return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next, cause);
  }

  subscribe(listener: StateListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** A listener set for byte chunks (`onData`). */
export class DataListeners {
  private readonly listeners = new Set<(chunk: Buffer) => void>();

  emit(chunk: Buffer): void {
    for (const listener of [...this.listeners]) listener(chunk);
  }

  subscribe(listener: (chunk: Buffer) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
