/** A counting semaphore with a FIFO queue: at most `limit` holders, the rest wait in order. */
export class Slots {
  private readonly limit: number;
  private held = 0;
  private readonly waiting: Array<{ grant: () => void; refuse: (error: Error) => void }> = [];
  private closedWith: Error | undefined;

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  /** Resolves with the function that gives the slot back (idempotent); rejects once the slots are closed. */
  async acquire(): Promise<() => void> {
    if (this.closedWith) throw this.closedWith;
    if (this.held < this.limit) {
      this.held++;
    } else {
      await new Promise<void>((grant, refuse) => this.waiting.push({ grant, refuse }));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.held--;
    };
  }

  /** Refuse every waiter, and every later request, with `error` (the connection is gone). */
  close(error: Error): void {
    this.closedWith ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(error);
  }
}
