import { BatonError } from '../errors.ts';
import type { Transport } from '../transport/transport.ts';
import { shellQuote } from '../transport/shell-script.ts';
import { ordinal } from './task.ts';

/**
 * How many task folders the first command makes; each later one makes twice as many as the one before, up to
 * MAX_BATCH. A task then costs no command of its own to get its folder, and a stream of few tasks makes few.
 */
const FIRST_BATCH = 8;
const MAX_BATCH = 512;

/**
 * The folders a stream's tasks use on its host, under one temporary folder of the stream (removed when the
 * transport closes): `<root>/<NN>/data/` (BATON_TASK_DIR), `<root>/<NN>/whiteboard` (BATON_WHITEBOARD), and
 * `<root>/ship/<NN>/` for the files a block ships. Tasks of one stream ask for their folders one at a time.
 */
export class TaskArea {
  private readonly transport: Transport;
  private root: Promise<string> | undefined;
  private made = 0;
  private batch = FIRST_BATCH;

  constructor(transport: Transport) {
    this.transport = transport;
  }

  async folders(index: number): Promise<{ task: string; data: string; whiteboard: string; ship: string }> {
    this.root ??= this.transport.makeTempDir('baton-tasks-');
    const root = await this.root;
    while (index > this.made) await this.makeBatch(root);
    const name = ordinal(index);
    const task = `${root}/${name}`;
    return { task, data: `${task}/data`, whiteboard: `${task}/whiteboard`, ship: `${root}/ship/${name}` };
  }

  private async makeBatch(root: string): Promise<void> {
    const from = this.made + 1;
    const to = from + this.batch - 1;
    // The shell names the folders as ordinal() does, so the command line stays short whatever the batch size.
    const command =
      `root=${shellQuote(root)}; i=${from}; set --; while [ "$i" -le ${to} ]; do ` +
      'case $i in ?) name=0$i ;; *) name=$i ;; esac; set -- "$@" "$root/$name/data"; i=$((i + 1)); done; ' +
      'mkdir -p "$@"';
    let stderr = '';
    const { exitCode } = await this.transport.exec({
      command,
      onStdout: () => undefined,
      onStderr: (chunk) => (stderr += chunk.toString()),
    }).result;
    if (exitCode !== 0) {
      throw new BatonError(
        'TRANSPORT_SPAWN_FAILED',
        `cannot make task folders under ${root}: ${stderr.trim() || `exit ${exitCode}`}`,
        {
          host: this.transport.host.name,
        },
      );
    }
    this.made += this.batch;
    this.batch = Math.min(this.batch * 2, MAX_BATCH);
  }
}
