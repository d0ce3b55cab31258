import { BatonError } from '../errors.ts';
import type { Stream } from '../stream/stream.ts';

/** The controller's streams by name, its groups, and the task numbers of each stream name across the job. */
export class StreamTable {
  private readonly streams = new Map<string, Stream>();
  private readonly groups = new Map<string, string[]>();
  private readonly taskNumbers = new Map<string, number>();

  get(name: string): Stream | undefined {
    return this.streams.get(name);
  }

  has(name: string): boolean {
    return this.streams.has(name);
  }

  all(): Stream[] {
    return [...this.streams.values()];
  }

  /** Refuse a name whose stream is neither closed nor lost (STREAM_EXISTS). */
  assertFree(name: string): void {
    const existing = this.streams.get(name);
    if (existing && existing.state !== 'closed' && existing.state !== 'lost')
      throw new BatonError('STREAM_EXISTS', `a stream named ${name} is already ${existing.state}`, {
        stream: name,
      });
  }

  /** Add a stream, also one still opening (so that closing everything closes it too). */
  add(stream: Stream): void {
    this.streams.set(stream.name, stream);
  }

  /** Forget a stream whose open failed (unless the name was taken again meanwhile). */
  remove(stream: Stream): void {
    if (this.streams.get(stream.name) === stream) this.streams.delete(stream.name);
  }

  /** Name a set of open streams. */
  group(name: string, members: readonly string[]): void {
    for (const member of members) if (!this.streams.has(member)) throw unknownStream(member);
    this.groups.set(name, [...members]);
  }

  /** A stream name, `@GROUP` or `{s1,s2}`: the streams it names, each of which must exist. */
  resolve(target: string): Stream[] {
    let names: string[];
    if (target.startsWith('@')) {
      const group = this.groups.get(target.slice(1));
      if (!group)
        throw new BatonError('GROUP_UNKNOWN', `no group named ${target.slice(1)}`, { group: target });
      names = group;
    } else if (target.startsWith('{') && target.endsWith('}')) {
      names = target
        .slice(1, -1)
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
    } else {
      names = [target];
    }
    return names.map((name) => {
      const stream = this.streams.get(name);
      if (!stream) throw unknownStream(name);
      return stream;
    });
  }

  /** The next task number of a stream name: numbers go on across a close and a new open of the name. */
  nextTaskNumber(stream: string): number {
    const next = (this.taskNumbers.get(stream) ?? 0) + 1;
    this.taskNumbers.set(stream, next);
    return next;
  }

  /** The stream that owns a task id (`<stream>/<NN>`), if any. */
  ownerOf(task: string): Stream | undefined {
    const slash = task.lastIndexOf('/');
    return slash > 0 ? this.streams.get(task.slice(0, slash)) : undefined;
  }
}

function unknownStream(name: string): BatonError {
  return new BatonError('STREAM_UNKNOWN', `no stream named ${name}`, { stream: name });
}
