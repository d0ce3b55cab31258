/** The transports' entry: the one place that chooses an implementation from a host spec's kind. */
import { LocalTransport } from './local.ts';
import type { TransportOptions } from './options.ts';
import { PtyTransport } from './pty.ts';
import { SshTransport } from './ssh.ts';
import type { HostSpec, Transport } from './transport.ts';

export { parseHostSpec, describeHost } from './host-spec.ts';
export { SSH_DEFAULTS } from './options.ts';
export type { TransportOptions } from './options.ts';
export type {
  Disposable,
  ExecRequest,
  ExecResult,
  Execution,
  HostSpec,
  Transport,
  TransportState,
} from './transport.ts';

/** A transport for `spec`, not yet open: call `open()` before the first command. */
export function createTransport(spec: HostSpec, options: TransportOptions = {}): Transport {
  switch (spec.kind) {
    case 'local':
      return new LocalTransport(spec, options);
    case 'pty':
      return new PtyTransport(spec, options);
    case 'ssh':
      return new SshTransport(spec, options);
  }
}
