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
  | { kind: 'rounds'; set: string; size: number; rounds: number; wait: string }
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

async function open(command: Extract<BenchCommand, { kind: 'open' }>): Promise<void> {
  const members: Member[] = [];
  for (let start = 0; start < command.count; start += 200) {
    const batch = Array.from(
      { length: Math.min(200, command.count - start) },
      () =>
        new Promise<Member>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: command.port });
          socket.once('connect', () => resolve(new Member(socket)));
          socket.once('error', reject);
        }),
    );
    members.push(...(await Promise.all(batch)));
  }
  if (command.hello) {
    const { token, prefix } = command.hello;
    await Promise.all(
      members.map((member, index) => {
        const welcome = member.lines(1);
        member.socket.write(`HELLO 1 member=${prefix}${index} token=${token}\n`);
        return welcome;
      }),
    );
  }
  sets.set(command.set, members);
}

// One round: all but the last arrive and are queued; the clock runs from the last arrival to the last GO.
async function rounds(command: Extract<BenchCommand, { kind: 'rounds' }>): Promise<number[]> {
  const members = sets.get(command.set)!.slice(0, command.size);
  const times: number[] = [];
  for (let round = 0; round < command.rounds; round++) {
    const line = command.wait.replace('{round}', String(round)) + '\n';
    const early = members.slice(0, -1);
    const queued = early.map((member) => member.lines(1));
    for (const member of early) member.socket.write(line);
    await Promise.all(queued);
    const released = members.map((member) => member.lines(1));
    const start = performance.now();
    members[members.length - 1].socket.write(line);
    await Promise.all(released);
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
