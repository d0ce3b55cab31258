/**
 * The controller's busy count: units of work that must finish before a replay takes its next step (fg tasks
 * queued or running, bg tasks not yet started, commands in flight, sync calls awaiting an answer). Each unit is
 * taken before its asynchronous work starts, so idle never shows between a command and its first effect.
 */
export class BusyCount {
  private count = 0;
  private idleWaiters: (() => void)[] = [];

  get value(): number {
    return this.count;
  }

  /** Count one unit; the returned function gives it back (once, however often it is called). */
  take(): () => void {
    this.count++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.count--;
      if (this.count === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Resolves when nothing is counted: at once when idle now. */
  whenIdle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
