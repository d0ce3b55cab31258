import type { Command } from '../controller/command.ts';
import { BatonError } from '../errors.ts';
import type { ScenarioVariant } from '../scenario/variant.ts';
import { parseHostSpec } from '../transport/host-spec.ts';

/** The spaces of the script's variables, `${SPACE:NAME}`. */
const SPACES = ['param', 'host', 'secret'] as const;

/** `${param:KEY}`, `${param:KEY@PATH}`, `${host:NAME}`, `${secret:NAME}`; everything else is left as written. */
export const VARIABLE = new RegExp(`\\$\\{(${SPACES.join('|')}):([^}]*)\\}`, 'g');

export interface VariableUse {
  space: (typeof SPACES)[number];
  name: string;
  /** 0-based offset in the text. */
  offset: number;
}

/** The uses of VARIABLE in a text, found without a regular expression: a script checks one per line. */
export function variablesIn(text: string): VariableUse[] {
  let uses: VariableUse[] | undefined;
  for (let start = text.indexOf('${'); start >= 0; start = text.indexOf('${', start + 2)) {
    const space = spaceAt(text, start + 2);
    if (space === undefined) continue;
    const nameStart = start + space.length + 3;
    const end = text.indexOf('}', nameStart);
    if (end < 0) break;
    const use = { space, name: text.slice(nameStart, end), offset: start };
    // Most texts hold one use: an array of its exact size (push would grow one by 16 slots).
    uses = uses === undefined ? [use] : [...uses, use];
    start = end - 1;
  }
  return uses ?? [];
}

function spaceAt(text: string, at: number): VariableUse['space'] | undefined {
  for (const space of SPACES) if (text.startsWith(space, at) && text[at + space.length] === ':') return space;
  return undefined;
}

/** The environment variable a task reads a secret from: the value never enters a command or the journal. */
export function secretEnvName(name: string): string {
  return `BATON_SECRET_${name}`;
}

export interface Bindings {
  variant: ScenarioVariant;
  env: Record<string, string | undefined>;
  /** Declared hosts, name to spec, for `${host:NAME}`. */
  hosts: Record<string, string>;
}

/** The address of a host spec: an ssh host's name or address, 127.0.0.1 for local and pty streams. */
export function hostAddress(spec: string, name: string): string {
  const host = parseHostSpec(spec, name);
  return host.kind === 'ssh' ? host.host : '127.0.0.1';
}

function paramValue(spec: string, variant: ScenarioVariant): string {
  const at = spec.indexOf('@');
  const key = at < 0 ? spec : spec.slice(0, at);
  const path = at < 0 ? null : spec.slice(at + 1);
  const value = variant.params.get(key, path);
  if (value === undefined)
    throw new BatonError(
      'SESSION_UNDEFINED_VARIABLE',
      `\${param:${spec}} is not a param of variant ${variant.id || '(none bound)'}`,
      { key, path },
    );
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The environment every stream of a replay gets: each secret the script reads, under `secretEnvName`. */
export function secretEnv(
  names: readonly string[],
  env: Record<string, string | undefined>,
): Record<string, string> {
  const missing = names.filter((name) => env[name] === undefined);
  if (missing.length > 0)
    throw new BatonError(
      'SESSION_UNDEFINED_VARIABLE',
      `secrets not set in the environment: ${missing.join(', ')}`,
      { secrets: missing },
    );
  return Object.fromEntries(names.map((name) => [secretEnvName(name), env[name] ?? '']));
}

/**
 * A command with its variables bound. In a task's block a secret becomes a reference to the environment
 * variable every stream gets (`secretEnv`), so its value is never in a command; `send` types the value, marked secret.
 */
export function bindCommand(command: Command, bindings: Bindings): Command {
  const expand = (text: string, inTask: boolean): string =>
    text.replace(VARIABLE, (_match, space: string, name: string) => {
      if (space === 'param') return paramValue(name, bindings.variant);
      if (space === 'host') {
        const spec = bindings.hosts[name];
        if (spec === undefined)
          throw new BatonError('SESSION_UNDEFINED_VARIABLE', `\${host:${name}}: no host ${name}`, {
            host: name,
          });
        return hostAddress(spec, name);
      }
      if (space === 'secret') {
        const value = bindings.env[name];
        if (value === undefined)
          throw new BatonError(
            'SESSION_UNDEFINED_VARIABLE',
            `\${secret:${name}}: ${name} is not set in the environment`,
            { secret: name },
          );
        return inTask ? `\${${secretEnvName(name)}}` : value;
      }
      return _match;
    });
  switch (command.kind) {
    case 'bg':
    case 'fg': {
      const block = typeof command.block === 'string' ? expand(command.block, true) : command.block;
      return { ...command, target: expand(command.target, false), block };
    }
    case 'send': {
      const hasSecret = variablesIn(command.text).some((use) => use.space === 'secret');
      return {
        ...command,
        text: expand(command.text, false),
        ...(hasSecret || command.secret ? { secret: true, shown: command.text } : {}),
      };
    }
    case 'open':
      return { ...command, host: expand(command.host, false) };
    case 'bind-variant':
      return { ...command, variant: expand(command.variant, false) };
    default:
      return command;
  }
}
