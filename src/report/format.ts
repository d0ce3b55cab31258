import type { CommandSource, EventHandlers, JournalEvent } from '../journal/events.ts';
import { dispatchEvent } from '../journal/events.ts';

const handlers: EventHandlers<string> = {
  'job-start': (event) => `job ${event.jobId} started: baton ${event.command}`,
  'job-end': (event) => `job ${event.jobId} ${event.status} (exit ${event.exitCode})`,
  command: (event) => `command ${event.id} ${describeCommand(event.command)}${describeSource(event.source)}`,
  'command-end': (event) =>
    `command ${event.id} ${event.ok ? 'done' : 'failed'} in ${event.durationMs} ms` +
    (event.code ? ` [${event.code}]` : '') +
    (event.message ? `: ${event.message}` : ''),
  input: (event) => `input ${event.stream}: ${event.secret ? '<secret>' : `${event.bytes} bytes`}`,
  resize: (event) => `resize ${event.stream} ${event.cols}x${event.rows}`,
  'stream-state': (event) =>
    `stream ${event.stream} (${event.host}) ${event.state}${event.code ? ` [${event.code}]` : ''}${event.cause ? `: ${event.cause}` : ''}`,
  connecting: (event) => `connecting to ${event.host} (attempt ${event.attempt} of ${event.attempts})`,
  'task-queued': (event) => `task ${event.task} queued: ${event.block}`,
  'task-start': (event) => `task ${event.task} started: ${event.block}`,
  'task-end': (event) =>
    `task ${event.task} ${event.status} in ${event.durationMs} ms` +
    (event.exitCode === null ? '' : ` (exit ${event.exitCode})`) +
    (event.signal ? ` (${event.signal})` : '') +
    (event.code ? ` [${event.code}]` : '') +
    (event.message ? `: ${event.message}` : ''),
  output: (event) =>
    `${event.task} ${event.fd}: ${event.encoding ? `<${event.data.length} base64 chars>` : event.data.trimEnd()}`,
  barrier: (event) =>
    `barrier ${event.barrier} gen ${event.gen} ${event.phase}` +
    (event.member ? ` member=${event.member}` : '') +
    (event.reason ? ` reason=${event.reason}` : ''),
  'variant-start': (event) =>
    `variant ${event.index}/${event.total} ${event.variant} of ${event.scenario} started`,
  'variant-end': (event) =>
    `variant ${event.variant} ${event.status} in ${Math.round(event.durationMs)} ms` +
    (event.error ? ` [${event.error.code}]: ${event.error.message}` : ''),
  log: (event) =>
    `${event.level}${event.stream ? ` ${event.stream}` : ''}${event.code ? ` [${event.code}]` : ''}: ${event.message}`,
};

// `bg server: iperf3 -s`: the kind, then the command's fields as key=value, short.
function describeCommand(command: { kind: string } & Record<string, unknown>): string {
  const fields = Object.entries(command)
    .filter(([key, value]) => key !== 'kind' && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [command.kind, ...fields].join(' ');
}

function describeSource(source: CommandSource): string {
  if (source.kind === 'script') return ` (${source.file}:${source.line})`;
  return source.kind === 'console' ? ' (console)' : '';
}

/** One human-readable line per event (job.log, the console's log pane, plain CI output). */
export function formatEvent(event: JournalEvent): string {
  return `${(event.t / 1000).toFixed(3).padStart(9)}s ${dispatchEvent(event, handlers)}`;
}
