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

/** A task's folders on its host. */
export interface TaskFolders {
  task: string;
  data: string;
  whiteboard: string;
  ship: string;
  /** The task folder was left empty by an earlier task of the stream: its data folder may have been removed. */
  reused: boolean;
  /** The task has ended and left nothing in its folder: a later task of the stream may have it. */
  release(): void;
}

/**
 * The folders a stream's tasks use on its host, under one temporary folder of the stream (removed when the
 * transport closes): `<root>/<NN>/data/` (BATON_TASK_DIR), `<root>/<NN>/whiteboard` (BATON_WHITEBOARD), and
 * `<root>/ship/<NN>/` for the files a block ships. A task gets the folder an earlier task released (it left
 * nothing there) or else the one named after its number, so a stream of tasks that leave nothing makes no
 * folder per task on its host. Tasks of one stream ask for their folders one at a time.
 */
export class TaskArea {
  private readonly transport: Transport;
  private root: Promise<string> | undefined;
  private made = 0;
  private batch = FIRST_BATCH;
  /** Names of the task folders released, the last one first. */
  private readonly released: string[] = [];

  constructor(transport: Transport) {
    this.transport = transport;
  }

  async folders(index: number): Promise<TaskFolders> {
    this.root ??= this.transport.makeTempDir('baton-tasks-');
    const root = await this.root;
    let name = this.released.pop();
    const reused = name !== undefined;
    if (name === undefined) {
      while (index > this.made) await this.makeBatch(root);
      name = ordinal(index);
    }
    const task = `${root}/${name}`;
    const release = () => void this.released.push(name);
    return {
      task,
      data: `${task}/data`,
      whiteboard: `${task}/whiteboard`,
      ship: `${root}/ship/${ordinal(index)}`,
      reused,
      release,
    };
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
