import type { JournalEvent } from '../../src/journal/events.ts';

function commandText(command: { kind: string } & Record<string, unknown>): string {
  const fields = Object.entries(command)
    .filter(([key]) => key !== 'kind')
    .map(
      ([key, value]) => `${key}=${typeof value === 'string' ? value.split('\n')[0] : JSON.stringify(value)}`,
    );
  return [command.kind, ...fields].join(' ');
}

/** One journal event in words, for the log pane; undefined for output (the stream panes show it). */
export function describeEvent(event: JournalEvent): string | undefined {
  switch (event.kind) {
    case 'job-start':
      return `job ${event.jobId} started`;
    case 'job-end':
      return `job ${event.jobId} ${event.status} (exit ${event.exitCode})`;
    case 'command':
      return `> ${event.source.kind} #${event.id} ${commandText(event.command)}`;
    case 'command-end':
      return event.ok
        ? `< #${event.id} ok ${Math.round(event.durationMs)}ms`
        : `< #${event.id} ${event.code ?? 'failed'}: ${event.message ?? ''}`;
    case 'input':
      return `input ${event.stream} ${event.secret ? '(secret)' : JSON.stringify(event.data ?? '')}`;
    case 'resize':
      return `resize ${event.stream} ${event.cols}x${event.rows}`;
    case 'stream-state':
      return `stream ${event.stream} on ${event.host}: ${event.state}${event.code ? ` ${event.code}` : ''}${event.cause ? ` (${event.cause})` : ''}`;
    case 'task-queued':
      return `task ${event.task} queued on ${event.stream}: ${event.block}`;
    case 'task-start':
      return `task ${event.task} started`;
    case 'task-end':
      return `task ${event.task} ${event.status}${event.exitCode === null ? '' : ` exit ${event.exitCode}`} ${Math.round(event.durationMs)}ms${event.code ? ` ${event.code}` : ''}`;
    case 'output':
      return undefined;
    case 'barrier':
      return `barrier ${event.barrier} gen ${event.gen} ${event.phase}${event.member ? ` ${event.member}` : ''}${event.arrived !== undefined && event.count !== undefined ? ` ${event.arrived}/${event.count}` : ''}${event.reason ? ` (${event.reason})` : ''}`;
    case 'variant-start':
      return `variant ${event.variant} started`;
    case 'variant-end':
      return `variant ${event.variant} ${event.status}`;
    case 'log':
      return `${event.level}${event.code ? ` ${event.code}` : ''}: ${event.message}`;
  }
}
