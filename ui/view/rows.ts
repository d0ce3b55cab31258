import type { BarrierView, StreamView, TaskView } from '../../src/controller/state.ts';
import type { JobView } from './job-view.ts';
import { plainText } from './text-lines.ts';

/** Output as text to show and compare: escape sequences dropped, carriage returns (a pty's) removed. */
function clean(text: string): string {
  return plainText(text.replace(/\r/g, ''));
}

/** Whether `text` passes a filter: a case-insensitive substring; `!` first inverts; empty keeps all. */
export function passes(text: string, filter: string | undefined): boolean {
  if (!filter) return true;
  const invert = filter.startsWith('!');
  const wanted = (invert ? filter.slice(1) : filter).toLowerCase();
  if (wanted === '') return true;
  return text.toLowerCase().includes(wanted) !== invert;
}

export function streamRows(view: JobView, filter?: string): StreamView[] {
  return Object.values(view.job.streams).filter((stream) => passes(`${stream.name} ${stream.host}`, filter));
}

export function taskRows(view: JobView, stream: string | undefined): TaskView[] {
  if (stream === undefined) return [];
  return (view.tasksOf.get(stream) ?? []).flatMap((id) => view.job.tasks[id] ?? []);
}

export function barrierRows(view: JobView, filter?: string): BarrierView[] {
  return Object.values(view.job.barriers).filter((barrier) => passes(barrier.name, filter));
}

/** `s1,s2,s3,web` as `s[1-3],web`: names sharing a prefix and differing by a number are ranged. */
export function compressNames(names: readonly string[]): string {
  const byPrefix = new Map<string, number[]>();
  const plain: string[] = [];
  for (const name of names) {
    const match = /^(.*?)(\d+)$/.exec(name);
    if (!match || match[2]?.startsWith('0')) plain.push(name);
    else {
      const prefix = match[1] ?? '';
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), Number(match[2])]);
    }
  }
  const ranged = [...byPrefix].map(([prefix, numbers]) => {
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    if (sorted.length === 1) return `${prefix}${sorted[0]}`;
    const parts: string[] = [];
    for (let start = 0; start < sorted.length;) {
      let end = start;
      while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end++;
      parts.push(end === start ? `${sorted[start]}` : `${sorted[start]}-${sorted[end]}`);
      start = end + 1;
    }
    return `${prefix}[${parts.join(',')}]`;
  });
  return [...ranged, ...plain].join(',');
}

export interface CompareGroup {
  /** The streams that produced this output, compressed (`node[1-4]`). */
  heading: string;
  streams: string[];
  failed: boolean;
  /** `exit 0`, `exit 2`, `running`, `timeout`... */
  status: string;
  lines: string[];
}

function statusOf(task: TaskView): string {
  if (task.state === 'passed' || task.state === 'failed')
    return task.exitCode === null || task.exitCode === undefined ? task.state : `exit ${task.exitCode}`;
  return task.state;
}

/** The last command run on several streams: one group per distinct output and status, failed ones first. */
export function compareGroups(view: JobView): CompareGroup[] {
  const compare = view.compare;
  if (!compare) return [];
  const groups = new Map<string, CompareGroup>();
  for (const id of compare.tasks) {
    const task = view.job.tasks[id];
    if (!task) continue;
    const output = clean(task.stdout + task.stderr).trimEnd();
    const status = statusOf(task);
    const key = `${status}\n${output}`;
    const group = groups.get(key) ?? {
      heading: '',
      streams: [],
      failed: task.state !== 'passed' && task.state !== 'running' && task.state !== 'queued',
      status,
      lines: output === '' ? [] : output.split('\n'),
    };
    group.streams.push(task.stream);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => ({ ...group, heading: compressNames(group.streams) }))
    .sort((a, b) => Number(b.failed) - Number(a.failed));
}

export interface OutputLine {
  text: string;
  kind: 'head' | 'out' | 'err';
}

/** The first line of the command a task runs. */
export function taskCommand(view: JobView, task: TaskView): string {
  return (view.commandOf.get(task.id) ?? task.block).split('\n')[0] ?? '';
}

/** The last `count` lines of `text` (a trailing newline ends the last one), found from the end without a split. */
export function lastLines(text: string, count: number): string {
  let from = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let left = count; left > 0 && from > 0; left--) from = text.lastIndexOf('\n', from - 1);
  return from <= 0 ? text : text.slice(from + 1);
}

// Only the lines a frame can show are cleaned and split: a task's kept output is up to 64 KB a stream.
function taskLines(view: JobView, task: TaskView, count = Infinity): OutputLine[] {
  const exit = task.state === 'running' || task.state === 'queued' ? task.state : statusOf(task);
  const head: OutputLine = { text: `$ ${taskCommand(view, task)}  [${exit}]`, kind: 'head' };
  const tail = (text: string) => (count === Infinity ? text : lastLines(text, count));
  const out = task.stdout === '' ? [] : clean(tail(task.stdout)).replace(/\n$/, '').split('\n');
  const err = task.stderr === '' ? [] : clean(tail(task.stderr)).replace(/\n$/, '').split('\n');
  return [
    head,
    ...out.map((text): OutputLine => ({ text, kind: 'out' })),
    ...err.map((text): OutputLine => ({ text, kind: 'err' })),
  ];
}

/**
 * The lines of a stream's output that fit `count` rows, `scroll` lines up from the end; each task headed by its
 * command and status. Only the newest tasks needed are split into lines.
 */
export function outputLines(
  view: JobView,
  stream: string | undefined,
  count: number,
  scroll: number,
  filter?: string,
): OutputLine[] {
  const lines: OutputLine[] = [];
  const tasks = taskRows(view, stream);
  const needed = count + scroll;
  for (let index = tasks.length - 1; index >= 0 && lines.length < needed; index--) {
    const task = tasks[index];
    if (task)
      lines.unshift(
        ...taskLines(view, task, filter ? Infinity : needed).filter(
          (line) => line.kind === 'head' || passes(line.text, filter),
        ),
      );
  }
  const end = Math.max(0, lines.length - scroll);
  return lines.slice(Math.max(0, end - count), end);
}
