import type { Command, Expectation } from '../controller/command.ts';
import type { ErrorCode } from '../errors.ts';
import type { Action } from './script.ts';
import { NAME, parseDuration } from './tokens.ts';
import type { Word } from './tokens.ts';

/** What completes an argument at the REPL's Tab. */
export type CompletionSource = 'stream' | 'target' | 'host' | 'barrier' | 'mark' | 'file' | 'none';

/** One line as a command definition reads it. */
export interface LineContext {
  keyword: Word;
  /** The words after the keyword, valid while the line is parsed (a Parsed keeps copies). */
  args: Word[];
  /** The whole line as written. */
  source: string;
  /** The text of the line from a 1-based column on. */
  rest(col: number): string;
  error(col: number, message: string, code?: ErrorCode): void;
}

/** A target or stream a line names, checked against the streams and groups declared before it. */
export interface Use {
  target: string;
  col: number;
}

export type Parsed =
  | { type: 'action'; action: Action; uses?: Use[] }
  | { type: 'expect'; expectation: Expectation; uses?: Use[] }
  | { type: 'heredoc'; kind: 'bg' | 'fg'; target: string; tag: string; uses: Use[] }
  | { type: 'host'; name: string; spec: string; specCol: number }
  | { type: 'variants'; files: Word[] }
  | { type: 'source'; file: Word }
  | { type: 'for'; filter: string[] }
  | { type: 'end' }
  | { type: 'finally' };

/** A word of the command language: its grammar, its help and its completion all come from here. */
export interface CommandDefinition {
  name: string;
  /** The arguments as help shows them. */
  args: string;
  description: string;
  completion: CompletionSource;
  /** Whether the word may be typed at the REPL (the structure words only make sense in a script). */
  interactive: boolean;
  /** How many words after the keyword the grammar reads, when the rest of the line is free text. */
  argWords?: number;
  parse(line: LineContext): Parsed | undefined;
}

// Module constants: a regular expression literal makes a new RegExp object each time it is evaluated.
const BLANK = /\s/;
const HEREDOC = /^<<\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const LINE_TERMINATOR = /[\r\u2028\u2029]/;
const DIGITS = /^\d+$/;

const action = (command: Command, uses: Use[] = []): Parsed => ({
  type: 'action',
  action: { kind: 'command', command },
  uses,
});

// `TARGET: TEXT` after the keyword: the target, its column, and the text after the colon.
function targetAndText(line: LineContext): { target: string; col: number; text: string } | undefined {
  const first = line.args[0];
  const colon = first ? line.source.indexOf(':', first.col - 1) : -1;
  const target = first && colon >= 0 ? line.source.slice(first.col - 1, colon) : '';
  if (!first || colon < 0 || BLANK.test(target)) {
    line.error(
      first?.col ?? line.keyword.col + line.keyword.text.length,
      `expected ${line.keyword.text} TARGET: TEXT`,
      'SESSION_SYNTAX',
    );
    return undefined;
  }
  // The text starts after the colon and one space, if there is one.
  const start = line.source.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
  return { target, col: first.col, text: line.source.slice(start) };
}

function name(line: LineContext, word: Word | undefined, what: string): string | undefined {
  if (!word) {
    line.error(line.source.length + 1, `${line.keyword.text}: ${what} is missing`, 'SESSION_SYNTAX');
    return undefined;
  }
  if (!NAME.test(word.text)) {
    line.error(word.col, `"${word.text}" is not a valid ${what}`, 'SESSION_BAD_ARGUMENT');
    return undefined;
  }
  return word.text;
}

function extra(line: LineContext, from: number): boolean {
  const word = line.args[from];
  if (word) line.error(word.col, `${line.keyword.text}: unexpected "${word.text}"`, 'SESSION_SYNTAX');
  return word !== undefined;
}

// `timeout=DUR` options at and after `from`; undefined when one is bad.
function timeoutOption(
  line: LineContext,
  from: number,
  allowed: string[] = [],
): { timeoutMs?: number; flags: Set<string> } | undefined {
  const flags = new Set<string>();
  let timeoutMs: number | undefined;
  let ok = true;
  for (const word of line.args.slice(from)) {
    if (allowed.includes(word.text)) flags.add(word.text);
    else if (word.text.startsWith('timeout=')) {
      timeoutMs = parseDuration(word.text.slice('timeout='.length));
      if (timeoutMs === undefined) {
        line.error(
          word.col + 8,
          `"${word.text.slice(8)}" is not a duration (a number with ms, s or m)`,
          'SESSION_BAD_ARGUMENT',
        );
        ok = false;
      }
    } else {
      line.error(word.col, `${line.keyword.text}: unexpected "${word.text}"`, 'SESSION_SYNTAX');
      ok = false;
    }
  }
  return ok ? { ...(timeoutMs === undefined ? {} : { timeoutMs }), flags } : undefined;
}

function task(kind: 'bg' | 'fg') {
  return (line: LineContext): Parsed | undefined => {
    const parsed = targetAndText(line);
    if (!parsed) return undefined;
    const uses = [{ target: parsed.target, col: parsed.col }];
    const heredoc = HEREDOC.exec(parsed.text);
    if (heredoc) return { type: 'heredoc', kind, target: parsed.target, tag: heredoc[1] ?? '', uses };
    if (parsed.text.trim() === '') {
      line.error(line.source.length + 1, `${kind}: the command is missing`, 'SESSION_SYNTAX');
      return undefined;
    }
    return action({ kind, target: parsed.target, block: parsed.text }, uses);
  };
}

const checkedPatterns = new Map<string, string | undefined>();

// Why a pattern does not compile, or undefined; each pattern is compiled once per process.
function regexProblem(pattern: string, flags: string): string | undefined {
  const key = `${flags}/${pattern}`;
  if (checkedPatterns.has(key)) return checkedPatterns.get(key);
  let problem: string | undefined;
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    problem = (error as Error).message;
  }
  if (checkedPatterns.size < 10_000) checkedPatterns.set(key, problem);
  return problem;
}

const OUTPUT_PATTERN = /^\/(.*)\/([dgimsuy]*)(?:\s+since\s+(\S+))?\s*$/;
const FLAG_CHARS = 'dgimsuy';

/**
 * `/REGEX/FLAGS [since MARK]` from index `start` of a line, as OUTPUT_PATTERN reads it. The common form, no
 * `since` and nothing but spaces after the flags, is read without running the expression (a script checks
 * thousands of these): the last `/` closes the pattern, as the expression's greedy `.*` finds too.
 */
function outputPattern(
  source: string,
  start: number,
): { pattern: string; flags: string; since?: string } | undefined {
  let end = source.length;
  while (end > start && (source.charCodeAt(end - 1) === 32 || source.charCodeAt(end - 1) === 9)) end--;
  const close = source.lastIndexOf('/', end - 1);
  let plain = source.charCodeAt(start) === 47 && close > start;
  for (let index = close + 1; plain && index < end; index++) plain = FLAG_CHARS.includes(source[index] ?? '');
  if (plain) {
    const pattern = source.slice(start + 1, close);
    // `.` stops at line terminators: a pattern holding one is left to the expression (which rejects it).
    if (!LINE_TERMINATOR.test(pattern)) return { pattern, flags: source.slice(close + 1, end) };
  }
  const match = OUTPUT_PATTERN.exec(source.slice(start));
  if (!match) return undefined;
  const [, pattern = '', flags = '', since] = match;
  return since === undefined ? { pattern, flags } : { pattern, flags, since };
}

const STATUSES = ['passed', 'failed', 'timeout', 'cancelled', 'lost'] as const;
const OUTCOMES = ['go', 'aborted', 'timeout', 'lost', 'held'] as const;
const STATES = ['idle', 'busy', 'closed', 'lost'] as const;

function oneOf<T extends string>(
  line: LineContext,
  word: Word | undefined,
  values: readonly T[],
): T | undefined {
  if (word && (values as readonly string[]).includes(word.text)) return word.text as T;
  line.error(
    word?.col ?? line.source.length + 1,
    `expected one of ${values.join('|')}${word ? `, got "${word.text}"` : ''}`,
    'SESSION_BAD_ARGUMENT',
  );
  return undefined;
}

function done(expectation: Expectation, uses: Use[] = []): Parsed {
  return { type: 'expect', expectation, uses };
}

function expect(line: LineContext): Parsed | undefined {
  const [subject, what, value] = line.args;
  if (!subject || !what) {
    line.error(
      line.source.length + 1,
      'expect: expected STREAM exit|status|stdout|stderr ..., barrier NAME ... or stream STREAM ...',
      'SESSION_SYNTAX',
    );
    return undefined;
  }
  if (subject.text === 'barrier') {
    const barrier = name(line, what, 'barrier name');
    const outcome = oneOf(line, value, OUTCOMES);
    if (barrier === undefined || outcome === undefined || extra(line, 3)) return undefined;
    return done({ subject: 'barrier', barrier, outcome });
  }
  if (subject.text === 'stream') {
    const state = oneOf(line, value, STATES);
    if (state === undefined || extra(line, 3)) return undefined;
    return done({ subject: 'stream', stream: what.text, state }, [{ target: what.text, col: what.col }]);
  }
  const stream = subject.text;
  const uses = [{ target: stream, col: subject.col }];
  switch (what.text) {
    case 'exit': {
      if (!value || !DIGITS.test(value.text)) {
        line.error(
          value?.col ?? line.source.length + 1,
          'expect STREAM exit N: N is a number',
          'SESSION_BAD_ARGUMENT',
        );
        return undefined;
      }
      return extra(line, 3)
        ? undefined
        : done({ subject: 'exit', stream, exitCode: Number(value.text) }, uses);
    }
    case 'status': {
      const status = oneOf(line, value, STATUSES);
      return status === undefined || extra(line, 3)
        ? undefined
        : done({ subject: 'status', stream, status }, uses);
    }
    case 'stdout':
    case 'stderr': {
      const from = value?.col ?? line.source.length + 1;
      const match = outputPattern(line.source, from - 1);
      if (!match) {
        line.error(from, `expect STREAM ${what.text} /REGEX/ [since MARK]`, 'SESSION_SYNTAX');
        return undefined;
      }
      const { pattern, flags, since } = match;
      const problem = regexProblem(pattern, flags);
      if (problem !== undefined) {
        line.error(from + 1, `bad regular expression: ${problem}`, 'SESSION_BAD_ARGUMENT');
        return undefined;
      }
      const output: Extract<Expectation, { subject: 'output' }> = {
        subject: 'output',
        stream,
        fd: what.text,
        pattern,
      };
      if (flags !== '') output.flags = flags;
      if (since !== undefined) output.since = since;
      return done(output, uses);
    }
    default:
      line.error(
        what.col,
        `expect ${stream}: expected exit, status, stdout or stderr, got "${what.text}"`,
        'SESSION_SYNTAX',
      );
      return undefined;
  }
}

/** The command language, in the order help lists it. */
export const REGISTRY: readonly CommandDefinition[] = [
  {
    name: 'host',
    args: 'NAME = SPEC',
    description:
      'name a host: local | pty | ssh://[user@]host[:port] | an ssh alias; ${VAR:-default} expands from the environment',
    completion: 'host',
    interactive: true,
    parse(line) {
      const hostName = name(line, line.args[0], 'host name');
      const equals = line.args[1];
      if (hostName === undefined) return undefined;
      if (equals?.text !== '=' || !line.args[2]) {
        line.error(equals?.col ?? line.source.length + 1, 'expected host NAME = SPEC', 'SESSION_SYNTAX');
        return undefined;
      }
      return {
        type: 'host',
        name: hostName,
        spec: line.rest(line.args[2].col).trim(),
        specCol: line.args[2].col,
      };
    },
  },
  {
    name: 'open',
    args: 'STREAM on HOST [pty] [timeout=DUR]',
    description: 'open a stream on a host (a name declared with host, or any host spec)',
    completion: 'host',
    interactive: true,
    parse(line) {
      const stream = name(line, line.args[0], 'stream name');
      const on = line.args[1];
      const host = line.args[2];
      if (stream === undefined) return undefined;
      if (stream === 'barrier' || stream === 'stream') {
        line.error(
          line.args[0]?.col ?? 1,
          `"${stream}" is a reserved word, not a stream name`,
          'SESSION_BAD_ARGUMENT',
        );
        return undefined;
      }
      if (on?.text !== 'on' || !host) {
        line.error(on?.col ?? line.source.length + 1, 'expected open STREAM on HOST', 'SESSION_SYNTAX');
        return undefined;
      }
      const options = timeoutOption(line, 3, ['pty']);
      if (!options) return undefined;
      return action({
        kind: 'open',
        stream,
        host: host.text,
        ...(options.flags.has('pty') ? { pty: true } : {}),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
    },
  },
  {
    name: 'close',
    args: 'STREAM',
    description: 'close a stream',
    completion: 'stream',
    interactive: true,
    parse(line) {
      const stream = line.args[0];
      if (!stream)
        return void line.error(line.source.length + 1, 'close: STREAM is missing', 'SESSION_SYNTAX');
      return extra(line, 1)
        ? undefined
        : action({ kind: 'close', stream: stream.text }, [{ target: stream.text, col: stream.col }]);
    },
  },
  {
    name: 'group',
    args: 'NAME = STREAM,STREAM...',
    description: 'a named set of streams, targeted as @NAME',
    completion: 'stream',
    interactive: true,
    parse(line) {
      const group = name(line, line.args[0], 'group name');
      const equals = line.args[1];
      if (group === undefined) return undefined;
      if (equals?.text !== '=' || !line.args[2]) {
        line.error(
          equals?.col ?? line.source.length + 1,
          'expected group NAME = STREAM,STREAM...',
          'SESSION_SYNTAX',
        );
        return undefined;
      }
      const from = line.args[2].col;
      const uses: Use[] = [];
      const streams: string[] = [];
      for (const match of line.rest(from).matchAll(/[^,\s]+/g)) {
        streams.push(match[0]);
        uses.push({ target: match[0], col: from + match.index });
      }
      return action({ kind: 'group', name: group, streams }, uses);
    },
  },
  {
    name: 'bg',
    args: 'TARGET: COMMAND | TARGET: <<TAG',
    description: 'queue COMMAND on each stream of TARGET, do not wait',
    completion: 'target',
    interactive: true,
    argWords: 1,
    parse: task('bg'),
  },
  {
    name: 'fg',
    args: 'TARGET: COMMAND | TARGET: <<TAG',
    description: 'queue COMMAND and wait until it ends on every stream of TARGET',
    completion: 'target',
    interactive: true,
    argWords: 1,
    parse: task('fg'),
  },
  {
    name: 'send',
    args: 'TARGET: TEXT | --secret NAME TARGET',
    description: 'type TEXT and Enter into a terminal stream (--secret: the value of ${secret:NAME})',
    completion: 'target',
    interactive: true,
    parse(line) {
      const [flag, secret, target] = line.args;
      if (flag?.text === '--secret') {
        const secretName = name(line, secret, 'secret name');
        if (secretName === undefined || !target || extra(line, 3)) {
          if (secretName !== undefined && !target)
            line.error(
              line.source.length + 1,
              'send --secret NAME TARGET: TARGET is missing',
              'SESSION_SYNTAX',
            );
          return undefined;
        }
        return action({ kind: 'send', target: target.text, text: `\${secret:${secretName}}`, secret: true }, [
          { target: target.text, col: target.col },
        ]);
      }
      const parsed = targetAndText(line);
      return (
        parsed &&
        action({ kind: 'send', target: parsed.target, text: parsed.text }, [
          { target: parsed.target, col: parsed.col },
        ])
      );
    },
  },
  {
    name: 'barrier',
    args: 'NAME COUNT [timeout=DUR]',
    description: 'wait at barrier NAME as one of COUNT members',
    completion: 'barrier',
    interactive: true,
    parse(line) {
      const barrier = name(line, line.args[0], 'barrier name');
      const count = line.args[1];
      if (barrier === undefined) return undefined;
      if (!count || !DIGITS.test(count.text) || Number(count.text) < 1) {
        line.error(
          count?.col ?? line.source.length + 1,
          'barrier NAME COUNT: COUNT is a number of members, at least 1',
          'SESSION_BAD_ARGUMENT',
        );
        return undefined;
      }
      const options = timeoutOption(line, 2);
      if (!options) return undefined;
      return action({
        kind: 'barrier',
        name: barrier,
        count: Number(count.text),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
    },
  },
  {
    name: 'hold',
    args: 'NAME | all',
    description: 'a breakpoint: the barrier releases only on step',
    completion: 'barrier',
    interactive: true,
    parse(line) {
      const word = line.args[0];
      if (word?.text === 'all') return extra(line, 1) ? undefined : action({ kind: 'hold', all: true });
      const barrier = name(line, word, 'barrier name');
      return barrier === undefined || extra(line, 1) ? undefined : action({ kind: 'hold', barrier });
    },
  },
  {
    name: 'step',
    args: '[NAME]',
    description: 'release a held barrier (the oldest one without NAME)',
    completion: 'barrier',
    interactive: true,
    parse(line) {
      const word = line.args[0];
      if (!word) return action({ kind: 'step' });
      const barrier = name(line, word, 'barrier name');
      return barrier === undefined || extra(line, 1) ? undefined : action({ kind: 'step', barrier });
    },
  },
  {
    name: 'release',
    args: 'all | NAME',
    description: 'release every held barrier and stop holding (or one barrier)',
    completion: 'barrier',
    interactive: true,
    parse(line) {
      const word = line.args[0];
      if (!word || word.text === 'all') return extra(line, 1) ? undefined : action({ kind: 'release' });
      const barrier = name(line, word, 'barrier name');
      return barrier === undefined || extra(line, 1) ? undefined : action({ kind: 'release', barrier });
    },
  },
  {
    name: 'wait',
    args: '[TARGET]',
    description: 'until every queued task of TARGET (all streams) has ended',
    completion: 'target',
    interactive: true,
    parse(line) {
      const word = line.args[0];
      if (extra(line, 1)) return undefined;
      return word
        ? action({ kind: 'wait', target: word.text }, [{ target: word.text, col: word.col }])
        : action({ kind: 'wait' });
    },
  },
  {
    name: 'expect',
    args: 'STREAM exit N | STREAM status S | STREAM stdout|stderr /RE/ [since MARK] | barrier NAME OUTCOME | stream STREAM STATE',
    description: 'a condition the step must meet',
    completion: 'stream',
    interactive: true,
    parse: expect,
  },
  {
    name: 'settle',
    args: 'STREAM DUR',
    description: 'until STREAM printed nothing for DUR (the only wait on silence)',
    completion: 'stream',
    interactive: true,
    parse(line) {
      const [stream, duration] = line.args;
      const ms = duration ? parseDuration(duration.text) : undefined;
      if (!stream || ms === undefined) {
        line.error(
          duration?.col ?? line.source.length + 1,
          'expected settle STREAM DUR (a number with ms, s or m)',
          'SESSION_BAD_ARGUMENT',
        );
        return undefined;
      }
      if (extra(line, 2)) return undefined;
      return {
        type: 'action',
        action: { kind: 'settle', stream: stream.text, ms },
        uses: [{ target: stream.text, col: stream.col }],
      };
    },
  },
  {
    name: 'mark',
    args: 'NAME',
    description: 'a point in time for `since` (every step is also mark @stepN)',
    completion: 'mark',
    interactive: true,
    parse(line) {
      const mark = name(line, line.args[0], 'mark name');
      return mark === undefined || extra(line, 1) ? undefined : action({ kind: 'mark', name: mark });
    },
  },
  {
    name: 'cancel',
    args: 'TASK',
    description: 'cancel a task by id (stream/NN)',
    completion: 'none',
    interactive: true,
    parse(line) {
      const word = line.args[0];
      if (!word) return void line.error(line.source.length + 1, 'cancel: TASK is missing', 'SESSION_SYNTAX');
      return extra(line, 1) ? undefined : action({ kind: 'cancel', task: word.text });
    },
  },
  {
    name: 'kill',
    args: 'TARGET [SIGNAL]',
    description: 'send a signal (SIGTERM) to the running task of each stream of TARGET',
    completion: 'target',
    interactive: true,
    parse(line) {
      const [target, signal] = line.args;
      if (!target)
        return void line.error(line.source.length + 1, 'kill: TARGET is missing', 'SESSION_SYNTAX');
      if (extra(line, 2)) return undefined;
      return action({ kind: 'kill', target: target.text, ...(signal ? { signal: signal.text } : {}) }, [
        { target: target.text, col: target.col },
      ]);
    },
  },
  {
    name: 'variants',
    args: 'FILE...',
    description: 'load variant tree files (paths relative to the script)',
    completion: 'file',
    interactive: true,
    parse(line) {
      if (line.args.length === 0)
        return void line.error(line.source.length + 1, 'variants: FILE is missing', 'SESSION_SYNTAX');
      return { type: 'variants', files: line.args.map((word) => ({ ...word })) };
    },
  },
  {
    name: 'variant',
    args: 'ID | FILTER',
    description: 'bind the variant whose params ${param:...} reads',
    completion: 'none',
    interactive: true,
    parse(line) {
      if (line.args.length === 0)
        return void line.error(line.source.length + 1, 'variant: ID or FILTER is missing', 'SESSION_SYNTAX');
      return action({ kind: 'bind-variant', variant: line.args.map((word) => word.text).join(' ') });
    },
  },
  {
    name: 'source',
    args: 'FILE',
    description: "run another script's steps here (shared setup, teardown)",
    completion: 'file',
    interactive: false,
    parse(line) {
      const file = line.args[0];
      if (!file) return void line.error(line.source.length + 1, 'source: FILE is missing', 'SESSION_SYNTAX');
      return extra(line, 1) ? undefined : { type: 'source', file: { ...file } };
    },
  },
  {
    name: 'for',
    args: 'variant in FILTER',
    description: 'the lines up to `end`, once per variant matching FILTER',
    completion: 'none',
    interactive: false,
    parse(line) {
      const [variant, inWord, ...filter] = line.args;
      if (variant?.text !== 'variant' || inWord?.text !== 'in' || filter.length === 0) {
        line.error(
          (variant ?? inWord)?.col ?? line.source.length + 1,
          'expected for variant in FILTER',
          'SESSION_SYNTAX',
        );
        return undefined;
      }
      return { type: 'for', filter: filter.map((word) => word.text) };
    },
  },
  {
    name: 'end',
    args: '',
    description: 'the end of a `for variant` loop',
    completion: 'none',
    interactive: false,
    parse: (line) => (extra(line, 0) ? undefined : { type: 'end' }),
  },
  {
    name: 'finally',
    args: '',
    description: 'the lines after it run when the script ends: passed, failed or interrupted',
    completion: 'none',
    interactive: false,
    parse: (line) => (extra(line, 0) ? undefined : { type: 'finally' }),
  },
];

const BY_NAME = new Map(REGISTRY.map((definition) => [definition.name, definition]));

export function findDefinition(word: string): CommandDefinition | undefined {
  return BY_NAME.get(word);
}

/** The help text: one line per word, from the registry. */
export function helpText(interactiveOnly = false): string {
  return REGISTRY.filter((definition) => !interactiveOnly || definition.interactive)
    .map((definition) => `  ${`${definition.name} ${definition.args}`.padEnd(44)} ${definition.description}`)
    .join('\n');
}
