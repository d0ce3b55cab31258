import { BatonError } from '../errors.ts';
import type { HostSpec } from './transport.ts';

const ALIAS = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9._-]+)$/;
const SSH_URL = /^ssh:\/\/(?:([^@/\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:/@\s[\]]+)(?::(\d+))?\/?$/;

function parsePort(text: string, spec: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new BatonError('HOST_BAD_SPEC', `host "${spec}": port must be 1-65535, got ${text}`, {
      host: spec,
    });
  }
  return port;
}

/**
 * Parse a host as written by the user: `local`, `pty`, `ssh://[user@]host[:port]`, or `[user@]alias` (an
 * ssh_config alias or a host name, resolved when the stream opens). `name` defaults to the text itself.
 */
export function parseHostSpec(text: string, name: string = text): HostSpec {
  const spec = text.trim();
  if (spec === 'local') return { kind: 'local', name };
  if (spec === 'pty') return { kind: 'pty', name };
  if (spec.startsWith('ssh://')) {
    const match = SSH_URL.exec(spec);
    if (!match) {
      throw new BatonError('HOST_BAD_SPEC', `host "${spec}": expected ssh://[user@]host[:port]`, {
        host: spec,
      });
    }
    const [, user, host, port] = match;
    return {
      kind: 'ssh',
      name,
      host: host.startsWith('[') ? host.slice(1, -1) : host,
      ...(user === undefined ? {} : { user }),
      ...(port === undefined ? {} : { port: parsePort(port, spec) }),
    };
  }
  const alias = ALIAS.exec(spec);
  if (!alias) {
    throw new BatonError(
      'HOST_BAD_SPEC',
      `host "${spec}": expected local, pty, ssh://[user@]host[:port] or an ssh_config alias`,
      { host: spec },
    );
  }
  const [, user, host] = alias;
  return { kind: 'ssh', name, host, ...(user === undefined ? {} : { user }) };
}

/** How a host reads in messages: `local`, `pty`, or `[user@]host[:port]` as written. */
export function describeHost(spec: HostSpec): string {
  if (spec.kind !== 'ssh') return spec.kind;
  const user = spec.user === undefined ? '' : `${spec.user}@`;
  const port = spec.port === undefined ? '' : `:${spec.port}`;
  return `${user}${spec.host}${port}`;
}

/** `host (stream name)`, the head of every transport error message. */
export function transportLabel(spec: HostSpec, stream: string | undefined): string {
  return `${describeHost(spec)} (stream ${stream ?? spec.name})`;
}
