import type { BlockRef } from './block.ts';
import type { RunOptions } from './task-runner.ts';
import { waitForTasks } from './task-wait.ts';
import type { TaskHandle, TaskRecord } from './task.ts';

/** What a group needs of its streams (a Stream, or the handle the library API gives out). */
export interface GroupMember {
  runBg(reference: BlockRef, options?: RunOptions): TaskHandle;
  takeUnwaited(): TaskHandle[];
  close(): Promise<void>;
}

/** Several streams driven as one: the same block queued on each, one wait over all of them. */
export class StreamGroup {
  readonly streams: readonly GroupMember[];

  constructor(streams: readonly GroupMember[]) {
    this.streams = streams;
  }

  /** Queue the block on every stream; they run concurrently, one task per stream. */
  runBg(reference: BlockRef, options: RunOptions = {}): TaskHandle[] {
    return this.streams.map((stream) => stream.runBg(reference, options));
  }

  /** Queue the block on every stream and wait for all of them; the first failure rejects unless `ignoreErrors`. */
  runFg(reference: BlockRef, options: RunOptions = {}): Promise<TaskRecord[]> {
    return waitForTasks(this.runBg(reference, options), options);
  }

  /** Wait for every task queued on any stream of the group since its last wait; same rules as a stream's wait. */
  wait(options: { ignoreErrors?: boolean } = {}): Promise<TaskRecord[]> {
    return waitForTasks(
      this.streams.flatMap((stream) => stream.takeUnwaited()),
      options,
    );
  }

  close(): Promise<void> {
    return Promise.all(this.streams.map((stream) => stream.close())).then(() => undefined);
  }
}
