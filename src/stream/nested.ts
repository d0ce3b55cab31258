import { Journal } from '../journal/journal.ts';
import { ResultsFolder } from '../report/results-folder.ts';
import { createTransport, parseHostSpec } from '../transport/index.ts';
import { StreamGroup } from './group.ts';
import { Stream } from './stream.ts';

/**
 * Streams opened from inside a running block (a scenario composed of scenarios). They run wherever the block
 * runs, have a journal of their own, and keep their results in the block's task folder on that host:
 * `<task>/journal.jsonl` and `<task>/streams/<stream>/<NN>-<block>/`, fetched back with the task's data.
 */
export class NestedStreams {
  private readonly journal = new Journal();
  private readonly results: ResultsFolder;
  private readonly streams: Stream[] = [];
  private readonly env: Record<string, string>;

  constructor(taskFolder: string, env: Record<string, string>) {
    this.results = new ResultsFolder(taskFolder, this.journal, { nested: true });
    this.env = env;
  }

  /** A stream on `local`, `pty`, `ssh://[user@]host[:port]` or an ssh_config alias. */
  async open(name: string, host = 'local'): Promise<Stream> {
    const member = this.env.BATON_SYNC_MEMBER ? `${this.env.BATON_SYNC_MEMBER}/${name}` : name;
    const stream = await Stream.open({
      name,
      transport: createTransport(parseHostSpec(host, host), { stream: name }),
      journal: this.journal,
      env: { ...this.env, BATON_SYNC_MEMBER: member },
      taskDir: (...args) => this.results.taskDir(...args),
    });
    this.streams.push(stream);
    return stream;
  }

  group(streams: readonly Stream[]): StreamGroup {
    return new StreamGroup(streams);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.streams.map((stream) => stream.close()));
    this.results.dispose();
  }
}
