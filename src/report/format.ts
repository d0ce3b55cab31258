import type { EventHandlers, JournalEvent } from '../journal/events.ts';
import { dispatchEvent } from '../journal/events.ts';

const handlers: EventHandlers<string> = {
  'job-start': (event) => `job ${event.jobId} started: baton ${event.command}`,
  'job-end': (event) => `job ${event.jobId} ${event.status} (exit ${event.exitCode})`,
  'stream-state': (event) =>
    `stream ${event.stream} (${event.host}) ${event.state}${event.code ? ` [${event.code}]` : ''}${event.cause ? `: ${event.cause}` : ''}`,
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
  'variant-end': (event) => `variant ${event.variant} ${event.status} in ${Math.round(event.durationMs)} ms`,
  log: (event) =>
    `${event.level}${event.stream ? ` ${event.stream}` : ''}${event.code ? ` [${event.code}]` : ''}: ${event.message}`,
};

/** One human-readable line per event (job.log, the console's log pane, plain CI output). */
export function formatEvent(event: JournalEvent): string {
  return `${(event.t / 1000).toFixed(3).padStart(9)}s ${dispatchEvent(event, handlers)}`;
}
