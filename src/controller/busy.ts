/**
 * The controller's busy count: units of work that must finish before a replay takes its next step (fg tasks
 * queued or running, bg tasks not yet started, commands in flight, sync calls awaiting an answer). Each unit is
 * taken before its asynchronous work starts, so idle never shows between a command and its first effect.
 */
export class BusyCount {
  private count = 0;
  /** Units taken before `dropAll()` belong to an older epoch: giving them back changes nothing. */
  private epoch = 0;
  private idleWaiters: (() => void)[] = [];

  get value(): number {
    return this.count;
  }

  /** Count one unit; the returned function gives it back (once, however often it is called). */
  take(): () => void {
    this.count++;
    const epoch = this.epoch;
    let given = false;
    return () => {
      if (given || epoch !== this.epoch) return;
      given = true;
      this.count--;
      if (this.count === 0) this.wake();
    };
  }

  /** Give up every unit counted now (a step that timed out, an interrupted replay); returns how many there were. */
  dropAll(): number {
    const dropped = this.count;
    this.epoch++;
    this.count = 0;
    this.wake();
    return dropped;
  }

  private wake(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves when nothing is counted: at once when idle now. */
  whenIdle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
