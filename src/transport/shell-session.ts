/**
 * Commands over one persistent shell (pty or ssh): a FIFO of commands written one at a time, each framed by
 * sentinel markers, whose output is routed to its request as it arrives. The session does no I/O of its own:
 * the transport feeds it the shell's bytes and gives it a way to write and to signal.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { BatonError } from '../errors.ts';
import { failedExecution } from './execution.ts';
import { SentinelParser } from './sentinel.ts';
import type { Marker } from './sentinel.ts';
import { commandLine, startupLine } from './shell-script.ts';
import { SharedEnvironment } from './shared-env.ts';
import type { ScriptContext } from './shell-script.ts';
import type { ExecRequest, ExecResult, Execution } from './transport.ts';

export interface ShellSessionOptions {
  /** `host (stream name)`, the head of error messages. */
  label: string;
  /** A terminal: one merged output, framed by start markers; otherwise stdout and stderr come separately. */
  terminal: boolean;
  write(text: string | Buffer): void;
  /** Deliver `signal` to the running command and its children. */
  signal(target: { shellPid: number; commandPid: number | undefined }, signal: NodeJS.Signals): Promise<void>;
  /** Every output byte that is not a marker, inside commands or not (a terminal's screen). */
  onOutput?(chunk: Buffer): void;
}

interface Command {
  seq: number;
  /** The shell text that runs it. */
  text: string;
  request: ExecRequest;
  written: boolean;
  /** Inside the command's output frame (always once written, except on a terminal before its start marker). */
  framed: boolean;
  pid: number | undefined;
  /** The turn of the plain shell's loop that runs it. */
  turn: number | undefined;
  status: number | undefined;
  /** The `probe` marker of the command's exit trap: bit i set when probe path i exists with content. */
  probeBits: number | undefined;
  stderrEnded: boolean;
  sentSignal: NodeJS.Signals | undefined;
  pendingSignal: { signal: NodeJS.Signals; delivered: () => void } | undefined;
  /** The line told the shell to keep a new shared environment. */
  updatesEnv: boolean;
  /** Bytes written right after the line, which the command reads on INPUT_FD. */
  input: Buffer | undefined;
  resolve(result: ExecResult): void;
  reject(error: Error): void;
}

/** An exit status as a result: 128+N is the signal N when that signal was sent to the command. */
export function resultOfStatus(status: number, sentSignal: NodeJS.Signals | undefined): ExecResult {
  if (sentSignal !== undefined && status === 128 + constants.signals[sentSignal]) {
    return { exitCode: null, signal: sentSignal };
  }
  return { exitCode: status, signal: null };
}

export class ShellSession {
  private readonly options: ShellSessionOptions;
  private readonly context: ScriptContext;
  private readonly queue: Command[] = [];
  private readonly stdout: SentinelParser;
  private readonly stderr: SentinelParser;
  private nextSeq = 1;
  /** Turns whose stderr ended before their `runs` marker came (stdout and stderr travel apart). */
  private readonly endedTurns: number[] = [];
  /** Signals on their way: no command is written meanwhile, so a late signal cannot hit the next one. */
  private signalsInFlight = 0;
  private shellPid: number | undefined;
  private failure: Error | undefined;
  private readonly sharedEnv = new SharedEnvironment();

  constructor(options: ShellSessionOptions) {
    this.options = options;
    const prefix = `BATON${randomBytes(6).toString('hex')}_`;
    this.context = { prefix, terminal: options.terminal };
    this.stdout = new SentinelParser(prefix, {
      data: (chunk) => this.output(chunk, 'stdout'),
      marker: (marker) => this.marker(marker),
    });
    this.stderr = new SentinelParser(prefix, {
      data: (chunk) => this.output(chunk, 'stderr'),
      marker: (marker) => this.marker(marker),
    });
  }

  feedStdout(chunk: Buffer): void {
    this.stdout.push(chunk);
  }

  feedStderr(chunk: Buffer): void {
    this.stderr.push(chunk);
  }

  /** Set the environment and folder, and resolve once the shell answers (readiness by sentinel, not by delay). */
  async start(env: Record<string, string> | undefined, cwd: string | undefined): Promise<void> {
    const said: Buffer[] = [];
    const collect = (chunk: Buffer) => void said.push(chunk);
    const text = startupLine(this.context, env, cwd);
    const result = await this.enqueue({ command: '', onStdout: collect, onStderr: collect }, 0, text).result;
    if (result.exitCode !== 0) {
      const reason = Buffer.concat(said).toString().trim().split('\n').at(-1) ?? '';
      throw new BatonError(
        'TRANSPORT_SPAWN_FAILED',
        `${this.options.label}: the shell could not start: ${reason || 'no reason given'}`,
      );
    }
  }

  /**
   * Run `request`; with `input` (a plain shell only), its bytes follow the command's line and the command reads
   * exactly that many on INPUT_FD (shell-files.ts), all of them whatever happens, or the shell would read the
   * rest as commands.
   */
  run(request: ExecRequest, input?: Buffer): Execution {
    if (this.failure) return failedExecution(this.failure);
    if (input && this.options.terminal) {
      return failedExecution(
        new BatonError('INTERNAL', `${this.options.label}: a terminal takes no input bytes`),
      );
    }
    let text: string;
    try {
      text = commandLine(this.context, this.nextSeq, request, input !== undefined);
      if (request.sharedEnv) this.sharedEnv.textOf(request.sharedEnv);
    } catch (error) {
      return failedExecution(error);
    }
    return this.enqueue(request, this.nextSeq++, text, input);
  }

  /** Signal the running command, if any. */
  async killRunning(signal: NodeJS.Signals): Promise<void> {
    const running = this.queue[0];
    if (running?.written && running.seq !== 0) await this.signal(running, signal);
  }

  /** The shell is gone: every command, running or queued, rejects with `error`, and so will later ones. */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const command of this.queue.splice(0)) {
      command.pendingSignal?.delivered();
      command.reject(error);
    }
  }

  private enqueue(request: ExecRequest, seq: number, text: string, input?: Buffer): Execution {
    let command!: Command;
    const result = new Promise<ExecResult>((resolve, reject) => {
      command = {
        seq,
        text,
        request,
        written: false,
        framed: false,
        pid: undefined,
        turn: undefined,
        status: undefined,
        probeBits: undefined,
        stderrEnded: this.options.terminal,
        sentSignal: undefined,
        pendingSignal: undefined,
        updatesEnv: false,
        input,
        resolve,
        reject,
      };
    });
    this.queue.push(command);
    if (this.queue.length === 1) this.writeHead();
    return { result, kill: (signal = 'SIGTERM') => this.killCommand(command, signal) };
  }

  private writeHead(): void {
    const head = this.queue[0];
    if (!head || head.written || this.signalsInFlight > 0) return;
    head.written = true;
    head.framed = !this.options.terminal;
    const { sharedEnv } = head.request;
    const update =
      sharedEnv && !this.options.terminal && head.seq !== 0 ? this.sharedEnv.update(sharedEnv) : '';
    head.updatesEnv = update !== '';
    // A plain shell's line is `SEQ REST`: the update goes first in REST, before the command's own exports.
    this.options.write(update === '' ? head.text : head.text.replace(' ', ` ${update}`));
    if (head.input) this.options.write(head.input);
    head.input = undefined;
  }

  private async killCommand(command: Command, signal: NodeJS.Signals): Promise<void> {
    if (!this.queue.includes(command)) return;
    if (!command.written) {
      this.queue.splice(this.queue.indexOf(command), 1);
      command.resolve({ exitCode: null, signal });
      return;
    }
    await this.signal(command, signal);
  }

  private async signal(command: Command, signal: NodeJS.Signals): Promise<void> {
    command.sentSignal = signal;
    if (this.shellPid === undefined || (this.options.terminal && command.pid === undefined)) {
      await new Promise<void>((delivered) => (command.pendingSignal = { signal, delivered }));
      return;
    }
    this.signalsInFlight++;
    try {
      await this.options.signal({ shellPid: this.shellPid, commandPid: command.pid }, signal);
    } finally {
      this.signalsInFlight--;
      this.writeHead();
    }
  }

  private output(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    this.options.onOutput?.(chunk);
    const head = this.queue[0];
    if (!head?.framed) return;
    if (stream === 'stdout' && head.status === undefined) head.request.onStdout(chunk);
    if (stream === 'stderr' && !head.stderrEnded) head.request.onStderr(chunk);
  }

  private marker(marker: Marker): void {
    const head = this.queue[0];
    if (!head?.written) return;
    if (marker.kind === 'start' && marker.seq === head.seq) this.started(head, marker.value);
    if (marker.kind === 'runs' && marker.seq === head.seq) {
      head.turn = marker.value;
      if (this.endedTurns.includes(marker.value)) head.stderrEnded = true;
    }
    if (marker.kind === 'probe' && this.numbers(head, marker.seq)) head.probeBits = marker.value;
    if (marker.kind === 'status' && this.numbers(head, marker.seq)) head.status = marker.value;
    if (marker.kind === 'end') {
      if (this.numbers(head, marker.seq)) head.stderrEnded = true;
      else this.rememberEndedTurn(marker.seq);
    }
    if (head.status !== undefined && head.stderrEnded) this.finish(head);
  }

  private rememberEndedTurn(turn: number): void {
    this.endedTurns.push(turn);
    if (this.endedTurns.length > 8) this.endedTurns.shift();
  }

  /** Whether a status or end marker numbered `seq` is the head's: by command on a terminal, else by turn. */
  private numbers(head: Command, seq: number): boolean {
    return this.options.terminal || head.seq === 0 ? seq === head.seq : seq === head.turn;
  }

  private started(head: Command, pid: number): void {
    head.framed = true;
    if (head.seq === 0) this.shellPid = pid;
    else head.pid = pid;
    const pending = head.pendingSignal;
    if (pending) {
      head.pendingSignal = undefined;
      this.signal(head, pending.signal).then(pending.delivered, pending.delivered);
    }
  }

  private finish(command: Command): void {
    this.queue.shift();
    command.pendingSignal?.delivered();
    if (command.updatesEnv && command.sentSignal !== undefined) this.sharedEnv.forget();
    const result = resultOfStatus(command.status ?? 0, command.sentSignal);
    const { probe } = command.request;
    const bits = command.probeBits;
    command.resolve(
      probe === undefined || bits === undefined
        ? result
        : { ...result, present: probe.map((_, index) => (bits & (1 << index)) !== 0) },
    );
    this.writeHead();
  }
}
