/**
 * The client side of the sync benchmark, in a process of its own so that clients and server do not share an
 * event loop. It takes commands from the parent over IPC and answers with measured times in milliseconds.
 * Clients are bare sockets that count lines: the cheapest client, so that the servers are what is compared.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What the parent asks for; `wait` is the line each member sends, with `{round}` replaced by the round number. */
export type BenchCommand =
  | { kind: 'open'; set: string; port: number; count: number; hello?: { token: string; prefix: string } }
  /**
   * Rounds of one barrier: `size` members send `wait`; the last one's line starts the clock, or, with `release`,
   * member `size` sends that line (an ABORT) after all of them are queued. The clock stops when every member has
   * had `linesEach` lines (the outcome, after any DATA lines).
   */
  | {
      kind: 'rounds';
      set: string;
      size: number;
      rounds: number;
      wait: string;
      release?: string;
      linesEach?: number;
    }
  /** The first `size - 1` members send `line` and are answered (one line each): a round left one arrival short. */
  | { kind: 'arrive'; set: string; size: number; line: string }
  /** The last of `size` members sends `line`; timed until every member has had `linesEach` more lines. */
  | { kind: 'finish'; set: string; size: number; line: string; linesEach: number }
  /** Member `index` sends `line` `rounds` times, timed until `lines` lines have come back each time. */
  | { kind: 'request'; set: string; index: number; line: string; lines: number; rounds: number }
  | { kind: 'ping' | 'quiet'; set: string; intervalMs: number }
  | { kind: 'close'; set: string };

class Member {
  readonly socket: Socket;
  private seen = 0;
  private expected = 0;
  private readonly waiting: { target: number; resolve: () => void }[] = [];

  private lineStart = '';

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let index = chunk.indexOf(10); index !== -1; start = index + 1, index = chunk.indexOf(10, start)) {
        const head = (this.lineStart + chunk.toString('latin1', start, Math.min(index, start + 4))).slice(
          0,
          4,
        );
        this.lineStart = '';
        if (head !== 'PONG') this.seen++;
      }
      if (start < chunk.length && this.lineStart.length < 4)
        this.lineStart += chunk.toString('latin1', start, Math.min(chunk.length, start + 4));
      while (this.waiting.length > 0 && this.waiting[0].target <= this.seen) this.waiting.shift()!.resolve();
    });
  }

  /** Resolves once `count` more lines have arrived. */
  lines(count: number): Promise<void> {
    this.expected += count;
    const target = this.expected;
    if (target <= this.seen) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.push({ target, resolve }));
  }
}

const sets = new Map<string, Member[]>();
const pingers = new Map<string, NodeJS.Timeout>();

// Connect in batches, each saying HELLO before the next connects (the server bounds unauthenticated connections).
async function open(command: Extract<BenchCommand, { kind: 'open' }>): Promise<void> {
  const members: Member[] = [];
  for (let start = 0; start < command.count; start += 200) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(200, command.count - start) },
        () =>
          new Promise<Member>((resolve, reject) => {
            const socket = connect({ host: '127.0.0.1', port: command.port });
            socket.once('connect', () => resolve(new Member(socket)));
            socket.once('error', reject);
          }),
      ),
    );
    if (command.hello) {
      const { token, prefix } = command.hello;
      await Promise.all(
        batch.map((member, index) => {
          const welcome = member.lines(1);
          member.socket.write(`HELLO 1 member=${prefix}${start + index} token=${token}\n`);
          return welcome;
        }),
      );
    }
    members.push(...batch);
  }
  sets.set(command.set, members);
}

// One round: all but the last arrive and are queued; the clock runs from the last arrival (or the release) to the last outcome.
async function rounds(command: Extract<BenchCommand, { kind: 'rounds' }>): Promise<number[]> {
  const set = sets.get(command.set)!;
  const members = set.slice(0, command.size);
  const releaser = command.release === undefined ? undefined : set[command.size];
  const times: number[] = [];
  for (let round = 0; round < command.rounds; round++) {
    const line = command.wait.replace('{round}', String(round)) + '\n';
    const early = releaser ? members : members.slice(0, -1);
    const queued = early.map((member) => member.lines(1));
    for (const member of early) member.socket.write(line);
    await Promise.all(queued);
    const released = members.map((member) => member.lines(command.linesEach ?? 1));
    const start = performance.now();
    if (releaser) releaser.socket.write(command.release + '\n');
    else members[members.length - 1].socket.write(line);
    await Promise.all(released);
    times.push(performance.now() - start);
    if (releaser) await releaser.lines(1);
  }
  return times;
}

async function arrive(command: Extract<BenchCommand, { kind: 'arrive' }>): Promise<void> {
  const early = sets.get(command.set)!.slice(0, command.size - 1);
  const answered = early.map((member) => member.lines(1));
  for (const member of early) member.socket.write(command.line + '\n');
  await Promise.all(answered);
}

async function finish(command: Extract<BenchCommand, { kind: 'finish' }>): Promise<number> {
  const members = sets.get(command.set)!.slice(0, command.size);
  const released = members.map((member) => member.lines(command.linesEach));
  const start = performance.now();
  members[members.length - 1].socket.write(command.line + '\n');
  await Promise.all(released);
  return performance.now() - start;
}

async function request(command: Extract<BenchCommand, { kind: 'request' }>): Promise<number[]> {
  const member = sets.get(command.set)![command.index];
  const times: number[] = [];
  for (let round = 0; round < command.rounds; round++) {
    const answered = member.lines(command.lines);
    const start = performance.now();
    member.socket.write(command.line + '\n');
    await answered;
    times.push(performance.now() - start);
  }
  return times;
}

process.on('message', (message: { id: number; command: BenchCommand }) => {
  const { id, command } = message;
  const reply = (result: unknown) => process.send!({ id, result });
  switch (command.kind) {
    case 'open':
      void open(command).then(() => reply(true));
      break;
    case 'rounds':
      void rounds(command).then(reply);
      break;
    case 'request':
      void request(command).then(reply);
      break;
    case 'arrive':
      void arrive(command).then(() => reply(true));
      break;
    case 'finish':
      void finish(command).then(reply);
      break;
    case 'quiet':
      clearInterval(pingers.get(command.set));
      reply(true);
      break;
    case 'ping': {
      const members = sets.get(command.set)!;
      clearInterval(pingers.get(command.set));
      pingers.set(
        command.set,
        setInterval(() => {
          for (const member of members) member.socket.write('PING\n');
        }, command.intervalMs),
      );
      reply(true);
      break;
    }
    case 'close':
      clearInterval(pingers.get(command.set));
      for (const member of sets.get(command.set) ?? []) member.socket.destroy();
      sets.delete(command.set);
      reply(true);
      break;
  }
});
process.send!({ ready: true });
