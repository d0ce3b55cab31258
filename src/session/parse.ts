import { createHash } from 'node:crypto';
import { dirname, relative, resolve } from 'node:path';
import type { ErrorCode } from '../errors.ts';
import type { Word } from './tokens.ts';
import { parseHostSpec } from '../transport/host-spec.ts';
import type { Diagnostic } from './diagnostics.ts';
import { findDefinition } from './registry.ts';
import type { LineContext, Parsed, Use } from './registry.ts';
import { SESSION_FORMAT } from './script.ts';
import type { Item, Script, Step } from './script.ts';
import { targetNames, WordReader } from './tokens.ts';
import { hasVolatileLiteral } from './generalise.ts';
import { variablesIn } from './variables.ts';

/** The pin of a variant file in a script's header: the sha256 of its text, in hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface ParseOptions {
  /** A file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
  /** For `${VAR:-default}` in host lines. */
  env?: Record<string, string | undefined>;
  /** How files are named in diagnostics. @default relative to process.cwd() */
  displayName?: (path: string) => string;
}

export interface ParseResult {
  script: Script;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

// Blank lines and comments.
const SKIPPED = /^\s*(#|$)/;

const HEADER = /^#\s*baton session\s+(\S+)\s*$/;

// Kept as constants: a regular expression literal makes a new RegExp object each time it is evaluated.
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_NAME = /^[^@\s]+(@\S+)?$/;

/** Parse a script and every file it sources, collecting every problem instead of stopping at the first. */
export function parseScript(path: string, options: ParseOptions): ParseResult {
  const file = resolve(path);
  const parser = new Parser(file, options);
  parser.parseFile(file, [], undefined);
  return { script: parser.script, errors: parser.errors, warnings: parser.warnings };
}

/** Parse one line typed at the REPL (no structure words, no heredoc), against what the session declared. */
export function parseLine(
  text: string,
  known: Known,
  options: Partial<ParseOptions> = {},
): { parsed?: Parsed; errors: Diagnostic[] } {
  const parser = new Parser('<repl>', { read: () => undefined, ...options }, known);
  const parsed = parser.parseLine('<repl>', 1, text);
  if (parsed) parser.declare(parsed, '<repl>', 1, text);
  return { ...(parsed && parser.errors.length === 0 ? { parsed } : {}), errors: parser.errors };
}

/** Names declared so far: streams opened, groups, hosts. */
export interface Known {
  streams: Set<string>;
  groups: Set<string>;
  hosts: Record<string, string>;
}

export function emptyKnown(): Known {
  return { streams: new Set(), groups: new Set(), hosts: {} };
}

interface Open {
  items: Item[];
  for?: Extract<Item, { type: 'for' }>;
}

// One line as command definitions read it: one per parser, set anew for each line (definitions keep none of it).
class Line implements LineContext {
  failed = false;
  keyword: Word = { text: '', col: 1 };
  args: Word[] = [];
  source = '';
  private readonly parser: Parser;
  private file = '';
  private lineNo = 0;

  constructor(parser: Parser) {
    this.parser = parser;
  }

  set(keyword: Word, args: Word[], source: string, file: string, lineNo: number): this {
    this.failed = false;
    this.keyword = keyword;
    this.args = args;
    this.source = source;
    this.file = file;
    this.lineNo = lineNo;
    return this;
  }

  rest(col: number): string {
    return this.source.slice(col - 1);
  }

  error(col: number, message: string, code: ErrorCode = 'SESSION_SYNTAX'): void {
    this.failed = true;
    this.parser.report(code, message, this.file, this.lineNo, col, this.source);
  }
}

class Parser {
  readonly script: Script;
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  private readonly options: ParseOptions;
  private readonly known: Known;
  private readonly secrets = new Set<string>();
  private readonly line = new Line(this);
  // The words of the line being parsed: definitions read them and keep copies only.
  private readonly keywordReader = new WordReader();
  private readonly argsReader = new WordReader();

  constructor(file: string, options: ParseOptions, known: Known = emptyKnown()) {
    this.options = options;
    this.known = known;
    this.script = {
      file,
      version: SESSION_FORMAT,
      header: {},
      hosts: known.hosts,
      variantFiles: [],
      items: [],
      finally: [],
      secrets: [],
    };
  }

  private name(path: string): string {
    return this.options.displayName ? this.options.displayName(path) : relative(process.cwd(), path) || path;
  }

  report(
    code: ErrorCode,
    message: string,
    file: string,
    line: number,
    col: number,
    source: string,
    warning = false,
  ): void {
    (warning ? this.warnings : this.errors).push({ code, message, file: this.name(file), line, col, source });
  }

  parseFile(
    file: string,
    chain: string[],
    from: { file: string; line: number; col: number; source: string } | undefined,
  ): void {
    if (chain.includes(file)) {
      const cycle = [...chain.slice(chain.indexOf(file)), file].map((path) => this.name(path)).join(' -> ');
      if (from)
        this.report(
          'SESSION_SOURCE_CYCLE',
          `source cycle: ${cycle}`,
          from.file,
          from.line,
          from.col,
          from.source,
        );
      return;
    }
    const text = this.options.read(file);
    if (text === undefined) {
      if (from)
        this.report(
          'SESSION_FILE_MISSING',
          `cannot read ${this.name(file)}`,
          from.file,
          from.line,
          from.col,
          from.source,
        );
      else this.report('SESSION_FILE_MISSING', `cannot read ${this.name(file)}`, file, 1, 1, '');
      return;
    }
    const lines = text.split(/\r?\n/);
    let index = this.header(file, lines, chain.length === 0);
    // The items being filled: the script's, a loop's body, or the finally section.
    const stack: Open[] = [{ items: this.script.items }];
    let inFinally = false;
    let step: Step | undefined;
    for (; index < lines.length; index++) {
      const source = lines[index] ?? '';
      const lineNo = index + 1;
      if (SKIPPED.test(source)) continue;
      const parsed = this.parseLine(file, lineNo, source);
      if (!parsed) {
        step = undefined;
        continue;
      }
      this.declare(parsed, file, lineNo, source);
      const top = stack[stack.length - 1] ?? { items: this.script.items };
      switch (parsed.type) {
        case 'expect':
          if (parsed.expectation.subject === 'output' && hasVolatileLiteral(parsed.expectation.pattern))
            this.report(
              'SESSION_VOLATILE_LITERAL',
              'the pattern holds a literal number or id that may change between runs',
              file,
              lineNo,
              source.indexOf('/') + 1,
              source,
              true,
            );
          if (!step) this.report('SESSION_SYNTAX', 'expect with no step before it', file, lineNo, 1, source);
          else
            step.expects = appended(step.expects, {
              file,
              line: lineNo,
              text: source,
              expectation: parsed.expectation,
            });
          break;
        case 'action':
          step = { file, line: lineNo, text: source, action: parsed.action, expects: [] };
          top.items.push({ type: 'step', step });
          break;
        case 'heredoc': {
          const body: string[] = [];
          const start = index;
          for (index++; index < lines.length && (lines[index] ?? '').trim() !== parsed.tag; index++)
            body.push(lines[index] ?? '');
          if (index >= lines.length) {
            this.report(
              'SESSION_UNCLOSED_BLOCK',
              `no line "${parsed.tag}" ends this block`,
              file,
              lineNo,
              source.indexOf('<<') + 1,
              source,
            );
            step = undefined;
            break;
          }
          this.checkVariables(body.join('\n'), file, start + 2, body[0] ?? '');
          step = {
            file,
            line: lineNo,
            text: [source, ...body, lines[index] ?? ''].join('\n'),
            action: {
              kind: 'command',
              command: { kind: parsed.kind, target: parsed.target, block: body.join('\n') + '\n' },
            },
            expects: [],
          };
          top.items.push({ type: 'step', step });
          break;
        }
        case 'host':
        case 'variants':
          step = undefined;
          break;
        case 'source': {
          step = undefined;
          const target = resolve(dirname(file), parsed.file.text);
          const before = this.script.items;
          // A sourced file's items go where the `source` line is.
          this.script.items = top.items;
          this.parseFile(target, [...chain, file], { file, line: lineNo, col: parsed.file.col, source });
          this.script.items = before;
          break;
        }
        case 'for': {
          step = undefined;
          if (inFinally || stack.length > 1) {
            this.report(
              'SESSION_SYNTAX',
              'for variant loops do not nest and are not allowed in finally',
              file,
              lineNo,
              1,
              source,
            );
            break;
          }
          const loop: Extract<Item, { type: 'for' }> = {
            type: 'for',
            file,
            line: lineNo,
            text: source,
            filter: parsed.filter,
            body: [],
          };
          top.items.push(loop);
          stack.push({ items: loop.body, for: loop });
          break;
        }
        case 'end':
          step = undefined;
          if (stack.length > 1) stack.pop();
          else this.report('SESSION_SYNTAX', 'end without for', file, lineNo, 1, source);
          break;
        case 'finally':
          step = undefined;
          if (inFinally || stack.length > 1 || chain.length > 0)
            this.report(
              'SESSION_SYNTAX',
              'finally comes once, at the top level of the script',
              file,
              lineNo,
              1,
              source,
            );
          else {
            inFinally = true;
            stack[0] = { items: this.script.finally };
          }
          break;
      }
    }
    for (const open of stack.slice(1))
      if (open.for)
        this.report(
          'SESSION_UNCLOSED_BLOCK',
          'for variant without end',
          open.for.file,
          open.for.line,
          1,
          open.for.text,
        );
    this.script.secrets = [...this.secrets];
  }

  // The version line and the key=value lines after it; returns the index of the first line after the header.
  private header(file: string, lines: string[], required: boolean): number {
    const first = lines[0] ?? '';
    const match = HEADER.exec(first);
    if (!match) {
      if (required)
        this.report(
          'SESSION_VERSION',
          `the first line must be "# baton session ${SESSION_FORMAT}"`,
          file,
          1,
          1,
          first,
        );
      return 0;
    }
    if (match[1] !== String(SESSION_FORMAT)) {
      this.report(
        'SESSION_VERSION',
        `session format version ${match[1]} is not supported: this baton reads version ${SESSION_FORMAT}`,
        file,
        1,
        first.indexOf(match[1] ?? '') + 1,
        first,
      );
      return 1;
    }
    let index = 1;
    for (; index < lines.length; index++) {
      const line = lines[index] ?? '';
      const pairs = /^#\s*(\S+=\S*(\s+\S+=\S*)*)\s*$/.exec(line);
      if (!pairs) break;
      if (!required) continue;
      for (const pair of (pairs[1] ?? '').split(/\s+/)) {
        const equals = pair.indexOf('=');
        this.script.header[pair.slice(0, equals)] = pair.slice(equals + 1);
      }
    }
    if (required) this.checkPins(file, lines);
    return index;
  }

  // R2: `variants=FILE@SHA256,...` pins the variant files; a changed one is a warning (--strict: an error).
  private checkPins(file: string, lines: string[]): void {
    const pins = this.script.header.variants;
    if (pins === undefined) return;
    const lineNo = lines.findIndex((line) => line.startsWith('#') && line.includes('variants=')) + 1;
    const source = lines[lineNo - 1] ?? '';
    for (const pin of pins.split(',')) {
      const at = pin.lastIndexOf('@');
      const path = resolve(dirname(file), pin.slice(0, at));
      const text = this.options.read(path);
      const col = source.indexOf(pin) + 1;
      if (text === undefined)
        this.report(
          'SESSION_FILE_MISSING',
          `cannot read pinned variant file ${pin.slice(0, at)}`,
          file,
          lineNo,
          col,
          source,
        );
      else if (sha256(text) !== pin.slice(at + 1))
        this.report(
          'SESSION_VARIANT_CHANGED',
          `variant file ${pin.slice(0, at)} changed since the recording`,
          file,
          lineNo,
          col,
          source,
          true,
        );
    }
  }

  parseLine(file: string, lineNo: number, source: string): Parsed | undefined {
    const keyword = this.keywordReader.read(source, 1, 1)[0];
    if (!keyword) return undefined;
    const definition = findDefinition(keyword.text);
    if (!definition) {
      this.report(
        'SESSION_UNKNOWN_COMMAND',
        `unknown command "${keyword.text}"`,
        file,
        lineNo,
        keyword.col,
        source,
      );
      return undefined;
    }
    // The words after the keyword; those of a command's free text are not split at all.
    const args = this.argsReader.read(source, 1, definition.argWords, keyword.col - 1 + keyword.text.length);
    const context = this.line.set(keyword, args, source, file, lineNo);
    const parsed = definition.parse(context);
    const variablesOk = parsed?.type === 'host' || this.checkVariables(source, file, lineNo, source);
    return context.failed || !variablesOk ? undefined : parsed;
  }

  // Check the variables of a text; returns whether all are defined.
  private checkVariables(text: string, file: string, lineNo: number, source: string): boolean {
    if (!text.includes('${')) return true;
    let ok = true;
    for (const use of variablesIn(text)) {
      const message =
        use.space === 'host' && this.known.hosts[use.name] === undefined
          ? `\${host:${use.name}}: no host ${use.name} is declared before this line`
          : use.space === 'secret' && !SECRET_NAME.test(use.name)
            ? `\${secret:${use.name}}: a secret name is letters, digits and _`
            : use.space === 'param' && !PARAM_NAME.test(use.name)
              ? `\${param:${use.name}}: expected \${param:KEY} or \${param:KEY@PATH}`
              : undefined;
      if (message !== undefined) {
        ok = false;
        this.report('SESSION_UNDEFINED_VARIABLE', message, file, lineNo, use.offset + 1, source);
      } else if (use.space === 'secret') this.secrets.add(use.name);
    }
    return ok;
  }

  /** What a line declares (hosts, streams, groups, variant files) and the names it uses, checked. */
  declare(parsed: Parsed, file: string, lineNo: number, source: string): void {
    if (parsed.type === 'host') {
      const env = this.options.env ?? {};
      let expanded = true;
      const spec = parsed.spec.replace(
        /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
        (match, name: string, fallback: string | undefined, offset: number) => {
          const value = env[name];
          if (value !== undefined && value !== '') return value;
          if (fallback !== undefined) return fallback;
          expanded = false;
          this.report(
            'SESSION_UNDEFINED_VARIABLE',
            `\${${name}} is not set and has no default (write \${${name}:-default})`,
            file,
            lineNo,
            parsed.specCol + offset,
            source,
          );
          return match;
        },
      );
      try {
        if (expanded) parseHostSpec(spec, parsed.name);
      } catch (error) {
        this.report('SESSION_BAD_ARGUMENT', (error as Error).message, file, lineNo, parsed.specCol, source);
      }
      this.known.hosts[parsed.name] = spec;
      return;
    }
    if (parsed.type === 'variants') {
      for (const word of parsed.files) {
        const path = resolve(dirname(file), word.text);
        if (this.options.read(path) === undefined)
          this.report(
            'SESSION_FILE_MISSING',
            `cannot read variant file ${word.text}`,
            file,
            lineNo,
            word.col,
            source,
          );
        else this.script.variantFiles.push(path);
      }
      return;
    }
    const uses: Use[] = 'uses' in parsed && parsed.uses ? parsed.uses : [];
    const command =
      parsed.type === 'action' && parsed.action.kind === 'command' ? parsed.action.command : undefined;
    // A group may name streams opened later in a loop; only the streams a task or check targets must exist.
    if (command?.kind !== 'group') for (const use of uses) this.checkTarget(use, file, lineNo, source);
    if (command?.kind === 'open') {
      this.known.streams.add(command.stream);
      const spec = this.known.hosts[command.host];
      if (spec !== undefined) command.host = spec;
    }
    if (command?.kind === 'group') this.known.groups.add(command.name);
  }

  private checkTarget(use: Use, file: string, lineNo: number, source: string): void {
    const target = use.target;
    // The common targets, a stream or a group declared before, are checked without taking the target apart.
    if (target.startsWith('@') ? this.known.groups.has(target.slice(1)) : this.known.streams.has(target))
      return;
    const { groups, streams } = targetNames(target);
    for (const group of groups)
      if (!this.known.groups.has(group))
        this.report(
          'SESSION_UNKNOWN_STREAM',
          `no group ${group} is declared before this line`,
          file,
          lineNo,
          use.col,
          source,
        );
    for (const stream of streams)
      if (!this.known.streams.has(stream))
        this.report(
          'SESSION_UNKNOWN_STREAM',
          `no stream ${stream} is opened before this line`,
          file,
          lineNo,
          use.col,
          source,
        );
  }
}

/**
 * A copy of `items` of the exact size with `item` at its end, for arrays the script keeps: push (or a spread)
 * grows an array by 16 slots, and concat is slow (it looks `Symbol.isConcatSpreadable` up on the item).
 */
function appended<T>(items: readonly T[], item: T): T[] {
  const copy = new Array<T>(items.length + 1);
  for (let index = 0; index < items.length; index++) copy[index] = items[index];
  copy[items.length] = item;
  return copy;
}
