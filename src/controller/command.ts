import { BatonError } from '../errors.ts';
import type { Block } from '../stream/block.ts';

/**
 * What can be asked of a controller: plain, serialisable data, the same whether it comes from a console key,
 * a session script's line or a program. A TARGET is a stream name, `@GROUP`, or `{s1,s2}`.
 */
export type Command =
  | {
      kind: 'open';
      stream: string;
      /** A host name from the host book, or a spec: `local`, `pty`, `ssh://[user@]host[:port]`, an ssh alias. */
      host: string;
      /** Ask an ssh stream for a terminal. */
      pty?: boolean;
      /** Per-task timeout of the stream, in ms. */
      timeoutMs?: number;
      env?: Record<string, string>;
    }
  | { kind: 'close'; stream: string }
  | { kind: 'group'; name: string; streams: string[] }
  | (TaskCommand & { kind: 'bg' })
  | (TaskCommand & { kind: 'fg' })
  | {
      kind: 'send';
      target: string;
      text: string;
      /** The text is a secret: the journal shows `shown` (its `${secret:NAME}` form) or `(secret)` instead. */
      secret?: boolean;
      shown?: string;
    }
  | { kind: 'resize'; stream: string; cols: number; rows: number }
  | { kind: 'barrier'; name: string; count: number; timeoutMs?: number }
  | { kind: 'hold'; barrier?: string; all?: boolean }
  | { kind: 'step'; barrier?: string }
  | { kind: 'release'; barrier?: string }
  | { kind: 'cancel'; task: string }
  | { kind: 'kill'; target: string; signal?: string }
  | { kind: 'wait'; target?: string }
  | { kind: 'expect'; expectation: Expectation }
  | { kind: 'mark'; name: string }
  | { kind: 'bind-variant'; variant: string };

export interface TaskCommand {
  target: string;
  /** A command line, `file#export`, a local script path, or a block object. */
  block: string | Block;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** The task may fail without failing the variant or aborting its barriers. */
  ignoreErrors?: boolean;
}

/** What `expect` checks, against the state the journal gives. */
export type Expectation =
  | { subject: 'exit'; stream: string; exitCode: number }
  | { subject: 'status'; stream: string; status: 'passed' | 'failed' | 'timeout' | 'cancelled' | 'lost' }
  | {
      subject: 'output';
      stream: string;
      fd: 'stdout' | 'stderr';
      pattern: string;
      flags?: string;
      since?: string;
    }
  | { subject: 'barrier'; barrier: string; outcome: 'go' | 'aborted' | 'timeout' | 'lost' | 'held' }
  | { subject: 'stream'; stream: string; state: 'idle' | 'busy' | 'closed' | 'lost' };

export type CommandKind = Command['kind'];
export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

const KINDS: ReadonlySet<string> = new Set<CommandKind>([
  'open',
  'close',
  'group',
  'bg',
  'fg',
  'send',
  'resize',
  'barrier',
  'hold',
  'step',
  'release',
  'cancel',
  'kill',
  'wait',
  'expect',
  'mark',
  'bind-variant',
]);

/** Refuse what is not a command (a program handing in data of its own): COMMAND_INVALID, naming the field. */
export function checkCommand(value: unknown): Command {
  const command = value as Partial<Record<string, unknown>> | null;
  if (typeof command !== 'object' || command === null || typeof command.kind !== 'string')
    throw invalid('a command is an object with a string "kind"');
  const kind = command.kind;
  if (!KINDS.has(kind)) throw invalid(`unknown command kind "${kind}"`, 'kind');
  const need = (field: string, type: 'string' | 'number' | 'object') => {
    if (typeof command[field] !== type) throw invalid(`${kind}: "${field}" must be a ${type}`, field);
  };
  switch (kind as CommandKind) {
    case 'open':
      need('stream', 'string');
      need('host', 'string');
      break;
    case 'close':
    case 'resize':
      need('stream', 'string');
      break;
    case 'group':
      need('name', 'string');
      if (!Array.isArray(command.streams)) throw invalid('group: "streams" must be a list', 'streams');
      break;
    case 'bg':
    case 'fg':
      need('target', 'string');
      if (typeof command.block !== 'string' && typeof command.block !== 'object')
        throw invalid(`${kind}: "block" must be a command line or a block`, 'block');
      break;
    case 'send':
      need('target', 'string');
      need('text', 'string');
      break;
    case 'kill':
      need('target', 'string');
      break;
    case 'barrier':
      need('name', 'string');
      need('count', 'number');
      break;
    case 'cancel':
      need('task', 'string');
      break;
    case 'mark':
      need('name', 'string');
      break;
    case 'bind-variant':
      need('variant', 'string');
      break;
    case 'expect':
      need('expectation', 'object');
      break;
    case 'hold':
    case 'step':
    case 'release':
    case 'wait':
      break;
  }
  return command as Command;
}

function invalid(message: string, field?: string): BatonError {
  return new BatonError('COMMAND_INVALID', message, field === undefined ? {} : { field });
}
