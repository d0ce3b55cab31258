import { readFileSync } from 'node:fs';
import { BatonError } from '../errors.ts';
import { parseHostSpec } from '../transport/index.ts';
import type { HostSpec } from '../transport/transport.ts';
import { expandVariables } from './expand-vars.ts';

/** The named hosts of a run: from a hosts file, else every reference is itself a host spec or an ssh alias. */
export class HostBook {
  private readonly named: Map<string, HostSpec>;

  constructor(named: Map<string, HostSpec> = new Map()) {
    this.named = named;
  }

  names(): string[] {
    return [...this.named.keys()];
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

const OPTION_KEYS = ['user', 'port', 'identity', 'known_hosts', 'accept_unknown_host_key', 'pty'] as const;

/**
 * Parse a hosts file: one `NAME = SPEC [key=value]...` a line, `#` comments, `${VAR:-default}` expanded.
 * Keys: user, port, identity (repeatable), known_hosts, accept_unknown_host_key=yes, pty=yes.
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
    const [specText = '', ...options] = expandVariables(match[3], env, { file, line, col: valueCol }).split(
      /\s+/,
    );
    let spec: HostSpec;
    try {
      spec = parseHostSpec(specText, name);
    } catch (error) {
      throw new BatonError(
        'HOST_BAD_SPEC',
        (error as Error).message,
        { file, line, col: valueCol },
        { cause: error },
      );
    }
    named.set(name, applyOptions(spec, options, { file, line, col: valueCol }));
  });
  return new HostBook(named);
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

function applyOptions(
  spec: HostSpec,
  options: string[],
  position: { file: string; line: number; col: number },
): HostSpec {
  if (options.length === 0) return spec;
  if (spec.kind !== 'ssh')
    throw new BatonError('HOST_BAD_SPEC', `options apply only to ssh hosts, not ${spec.kind}`, position);
  const result = { ...spec };
  for (const option of options) {
    const [key = '', value = ''] = option.split(/=(.*)/s);
    if (!(OPTION_KEYS as readonly string[]).includes(key) || value === '') {
      throw new BatonError(
        'HOST_BAD_SPEC',
        `unknown option '${option}': expected one of ${OPTION_KEYS.map((k) => `${k}=...`).join(', ')}`,
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
    if (key === 'identity') result.identityFiles = [...(result.identityFiles ?? []), value];
    if (key === 'known_hosts') result.knownHostsFile = value;
    if (key === 'accept_unknown_host_key') result.acceptUnknownHostKey = /^(yes|true|1)$/i.test(value);
    if (key === 'pty') result.pty = /^(yes|true|1)$/i.test(value);
  }
  return result;
}
