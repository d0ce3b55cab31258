import { Controller } from '../controller/controller.ts';
import { StreamHandle } from '../controller/stream-handle.ts';
import { Journal } from '../journal/journal.ts';
import { ResultsFolder } from '../report/results-folder.ts';
import { StreamGroup } from './group.ts';
import type { GroupMember } from './group.ts';

/**
 * Streams opened from inside a running block (a scenario composed of scenarios). They run wherever the block
 * runs, under a controller and journal of their own, and keep their results in the block's task folder on that
 * host: `<task>/journal.jsonl` and `<task>/streams/<stream>/<NN>-<block>/`, fetched back with the task's data.
 */
export class NestedStreams {
  private readonly journal = new Journal();
  private readonly results: ResultsFolder;
  private readonly controller: Controller;

  constructor(taskFolder: string, env: Record<string, string>) {
    this.results = new ResultsFolder(taskFolder, this.journal, { nested: true });
    const parent = env.BATON_SYNC_MEMBER;
    this.controller = new Controller({
      journal: this.journal,
      results: this.results,
      baseEnv: env,
      memberOf: (name) => (parent ? `${parent}/${name}` : name),
    });
  }

  /** A stream on `local`, `pty`, `ssh://[user@]host[:port]` or an ssh_config alias. */
  async open(name: string, host = 'local'): Promise<StreamHandle> {
    return new StreamHandle(
      this.controller,
      await this.controller.execute({ kind: 'open', stream: name, host }),
    );
  }

  group(streams: readonly GroupMember[]): StreamGroup {
    return new StreamGroup(streams);
  }

  async close(): Promise<void> {
    await this.controller.dispose();
    this.results.dispose();
  }
}
