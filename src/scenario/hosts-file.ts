import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BatonError } from '../errors.ts';
import { parseHostSpec } from '../transport/index.ts';
import type { HostSpec } from '../transport/transport.ts';
import { expandVariables } from './expand-vars.ts';

/**
 * The named hosts of a run, from a hosts file or an Ansible inventory (with its groups); any other reference
 * is itself a host spec or an ssh alias.
 */
export class HostBook {
  private readonly named: Map<string, HostSpec>;
  private readonly groupMembers: Map<string, string[]>;
  private readonly origin: HostsOrigin | undefined;

  constructor(
    named: Map<string, HostSpec> = new Map(),
    groups: Map<string, string[]> = new Map(),
    origin?: HostsOrigin,
  ) {
    this.named = named;
    this.groupMembers = groups;
    this.origin = origin;
  }

  /**
   * The resolved host list as written to the job's `hosts.json`: where it came from, each host's spec and
   * groups, and the names of inventory variables not used; undefined when no hosts were given. No secret is
   * in it (a key is named by its file, a password never read).
   */
  record(): Record<string, unknown> | undefined {
    if (!this.origin) return undefined;
    return {
      source: this.origin.source,
      hosts: [...this.named.values()].map((spec) => ({
        ...spec,
        groups: this.groups().filter(
          (group) => group !== 'all' && this.groupMembers.get(group)!.includes(spec.name),
        ),
        ...(this.origin?.ignored?.[spec.name]?.length ? { ignored: this.origin.ignored[spec.name] } : {}),
      })),
      groups: Object.fromEntries(this.groupMembers),
    };
  }

  names(): string[] {
    return [...this.named.keys()];
  }

  /** The names of the host groups (an inventory's groups; a hosts file has none). */
  groups(): string[] {
    return [...this.groupMembers.keys()];
  }

  /** The hosts of a group, children's included, in inventory order: open a stream on each, group the streams. */
  group(name: string): string[] {
    const members = this.groupMembers.get(name);
    if (!members)
      throw new BatonError(
        'GROUP_UNKNOWN',
        `no host group ${name}${this.groupMembers.size > 0 ? ` (groups: ${this.groups().join(', ')})` : ''}`,
        { group: name },
      );
    return [...members];
  }

  list(): HostSpec[] {
    return [...this.named.values()];
  }

  has(name: string): boolean {
    return this.named.has(name);
  }

  /** A named host, else `local`, `pty`, `ssh://...` or an ssh_config alias read as a spec. */
  resolve(reference: string): HostSpec {
    return this.named.get(reference) ?? parseHostSpec(reference, reference);
  }
}

/** Where a book's hosts came from (`hosts.json`): the file or `ansible://PATTERN`, and unused variables per host. */
export interface HostsOrigin {
  source: string;
  ignored?: Record<string, string[]>;
}

const OPTION_KEYS = [
  'user',
  'port',
  'identity',
  'known_hosts',
  'accept_unknown_host_key',
  'pty',
  'max_channels',
  'connect_timeout',
  'keepalive',
  'retries',
] as const;

type Position = { file: string; line: number; col: number };

/** A word of a host line after `${VAR}` expansion, with the column it was written at. */
interface Word {
  text: string;
  col: number;
}

/**
 * Parse a hosts file: one `NAME = SPEC [key=value]...` a line, `#` comments, `${VAR:-default}` expanded.
 * Keys: user, port, identity (repeatable), known_hosts, accept_unknown_host_key=yes, pty=yes, max_channels=N
 * (OpenSSH's MaxSessions of the host), connect_timeout=DUR, keepalive=DUR (0: off), retries=N. Relative
 * `identity=` and `known_hosts=` paths are read from the hosts file's folder, `~/` from the home folder
 * (`HOME` of `env`); a `known_hosts=` file that does not exist is refused unless the line accepts unknown keys
 * (the file is then made when the first key is accepted).
 */
export function parseHostsFile(
  text: string,
  file: string,
  env: Record<string, string | undefined> = process.env,
): HostBook {
  const named = new Map<string, HostSpec>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (content.trim() === '') return;
    const match = /^(\s*)([A-Za-z][\w.-]*)\s*=\s*(\S.*)$/.exec(content);
    if (!match) {
      throw new BatonError(
        'HOST_BAD_SPEC',
        'expected NAME = SPEC [key=value]... (e.g. server = ssh://root@10.0.0.2)',
        { file, line, col: 1 },
      );
    }
    const name = match[2];
    if (named.has(name))
      throw new BatonError('HOST_BAD_SPEC', `host ${name} is defined twice`, {
        file,
        line,
        col: match[1].length + 1,
      });
    const valueCol = content.indexOf(match[3]) + 1;
    const [spec, ...options] = words(match[3], valueCol, env, { file, line });
    let parsed: HostSpec;
    try {
      parsed = parseHostSpec(spec.text, name);
    } catch (error) {
      throw new BatonError(
        'HOST_BAD_SPEC',
        (error as Error).message,
        { file, line, col: spec.col },
        { cause: error },
      );
    }
    const context = { file, line, home: env.HOME || homedir() };
    named.set(name, applyOptions(parsed, options, context));
  });
  return new HostBook(named, new Map(), { source: file });
}

export function readHostsFile(path: string, env?: Record<string, string | undefined>): HostBook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BatonError(
      'FILE_NOT_FOUND',
      `cannot read hosts file ${path}`,
      { file: path },
      { cause: error },
    );
  }
  return parseHostsFile(text, path, env);
}

/** The words of a host line's value, each expanded where it was written (so errors point at it). */
function words(
  value: string,
  valueCol: number,
  env: Record<string, string | undefined>,
  where: { file: string; line: number },
): [Word, ...Word[]] {
  const found: Word[] = [];
  for (const word of value.matchAll(/\S+/g)) {
    const col = valueCol + word.index;
    for (const text of expandVariables(word[0], env, { ...where, col }).split(/\s+/))
      if (text !== '') found.push({ text, col });
  }
  return found.length > 0 ? (found as [Word, ...Word[]]) : [{ text: '', col: valueCol }];
}

function applyOptions(
  spec: HostSpec,
  options: Word[],
  context: { file: string; line: number; home: string },
): HostSpec {
  if (options.length === 0) return spec;
  const at = (col: number): Position => ({ file: context.file, line: context.line, col });
  if (spec.kind !== 'ssh')
    throw new BatonError(
      'HOST_BAD_SPEC',
      `options apply only to ssh hosts, not ${spec.kind}`,
      at(options[0].col),
    );
  const result = { ...spec };
  let knownHosts: Word | undefined;
  for (const option of options) {
    const [key = '', value = ''] = option.text.split(/=(.*)/s);
    const position = at(option.col);
    if (!(OPTION_KEYS as readonly string[]).includes(key) || value === '') {
      throw new BatonError(
        'HOST_BAD_SPEC',
        `unknown option '${option.text}': expected one of ${OPTION_KEYS.map((k) => `${k}=...`).join(', ')}`,
        position,
      );
    }
    if (key === 'user') result.user = value;
    if (key === 'port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new BatonError('HOST_BAD_SPEC', `port must be 1-65535, got ${value}`, position);
      result.port = port;
    }
    if (key === 'identity')
      result.identityFiles = [...(result.identityFiles ?? []), pathOnLine(value, context)];
    if (key === 'known_hosts') {
      result.knownHostsFile = pathOnLine(value, context);
      knownHosts = option;
    }
    if (key === 'accept_unknown_host_key') result.acceptUnknownHostKey = /^(yes|true|1)$/i.test(value);
    if (key === 'pty') result.pty = /^(yes|true|1)$/i.test(value);
    if (key === 'max_channels') result.limits = { ...result.limits, maxChannels: count(value, 1, position) };
    if (key === 'retries') result.limits = { ...result.limits, retries: count(value, 0, position) };
    if (key === 'connect_timeout')
      result.limits = { ...result.limits, connectTimeoutMs: duration(value, position, false) };
    if (key === 'keepalive')
      result.limits = { ...result.limits, keepaliveIntervalMs: duration(value, position, true) };
  }
  if (knownHosts && result.knownHostsFile && !result.acceptUnknownHostKey)
    checkKnownHostsFile(result.knownHostsFile, at(knownHosts.col));
  return result;
}

/** A whole number of at least `min` (`max_channels=`, `retries=`). */
function count(value: string, min: number, position: Position): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min)
    throw new BatonError(
      'HOST_BAD_SPEC',
      `expected a whole number of at least ${min}, got '${value}'`,
      position,
    );
  return number;
}

/** `15`, `15s`, `500ms` or `2m` in milliseconds (a bare number is seconds); 0 only where it switches off. */
function duration(value: string, position: Position, zeroAllowed: boolean): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match?.[2] ?? 's') as 'ms' | 's' | 'm'];
  const ms = match ? Number(match[1]) * unit : NaN;
  if (Number.isNaN(ms) || (ms === 0 && !zeroAllowed))
    throw new BatonError(
      'HOST_BAD_SPEC',
      `expected a duration such as 15s or 500ms${zeroAllowed ? ' (0 switches it off)' : ''}, got '${value}'`,
      position,
    );
  return Math.round(ms);
}

/** A path written on a hosts line: `~/` from the home folder, a relative one from the hosts file's folder. */
function pathOnLine(value: string, context: { file: string; home: string }): string {
  if (value === '~' || value.startsWith('~/')) return join(context.home, value.slice(1));
  return resolve(dirname(resolve(context.file)), value);
}

/** A known_hosts file named on a line must be a file: a missing one would refuse every key, silently. */
function checkKnownHostsFile(path: string, position: Position): void {
  const found = statSync(path, { throwIfNoEntry: false });
  if (found?.isFile()) return;
  throw new BatonError(
    'FILE_NOT_FOUND',
    `known_hosts file ${path} ${found ? 'is not a file' : 'does not exist'} (accept_unknown_host_key=yes makes it, with the first key accepted)`,
    { ...position, knownHostsFile: path },
  );
}
