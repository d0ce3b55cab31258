// @jsxRuntime automatic
// @jsxImportSource react
import { Box } from 'ink';
import type { UiState } from '../state/model.ts';
import { selectedStream } from '../state/reduce.ts';
import type { JobView } from '../view/job-view.ts';
import {
  barrierRows,
  compareGroups,
  outputLines,
  passes,
  streamRows,
  taskCommand,
  taskRows,
} from '../view/rows.ts';
import { cell, Line, rule, windowOf } from './line.tsx';

export interface PaneProps {
  ui: UiState;
  view: JobView;
  width: number;
  height: number;
}

const STATE_COLOR: Record<string, string> = {
  idle: 'green',
  busy: 'yellow',
  opening: 'cyan',
  closed: 'blue',
  lost: 'red',
  passed: 'green',
  failed: 'red',
  running: 'yellow',
  held: 'magenta',
  go: 'green',
  aborted: 'red',
  timeout: 'red',
};

function lastExit(view: JobView, id: string | undefined): string {
  const task = id ? view.job.tasks[id] : undefined;
  if (!task) return '-';
  if (task.state === 'passed' || task.state === 'failed') return `exit ${task.exitCode ?? '?'}`;
  return task.state;
}

export function StreamsPane({ ui, view, width, height }: PaneProps) {
  const streams = streamRows(view, ui.filters.streams);
  const listHeight = Math.min(streams.length + 1, Math.max(3, Math.floor(height / 3)));
  const selected = Math.min(ui.selected.streams, streams.length - 1);
  const { rows } = windowOf(streams, selected, listHeight - 1);
  const stream = selectedStream(ui, view);
  const outputHeight = height - listHeight - 1;
  const attached = ui.mode === 'attach' && ui.attached === stream;
  const terminal = stream !== undefined ? view.terminals.get(stream) : undefined;
  const showTerminal =
    attached ||
    (stream !== undefined && view.withTerminal.has(stream) && taskRows(view, stream).length === 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line
        bold
      >{`  ${cell('STREAM', 12)} ${cell('HOST', 14)} ${cell('STATE', 9)} ${cell('QUEUE', 5)} ${cell('LAST', 8)} ${cell('TGT', 3)} ERROR`}</Line>
      {rows.map((row) => (
        <Line key={row.name} inverse={row.name === stream} color={STATE_COLOR[row.state] ?? 'white'}>
          {/* The error code has a column of its own: within STATE it was cut to its first letter. */}
          {`${row.name === stream ? '>' : ' '} ${cell(row.name, 12)} ${cell(row.host, 14)} ${cell(row.state, 9)} ${cell(row.queue.length + (row.running ? 1 : 0), 5)} ${cell(lastExit(view, row.last), 8)} ${cell(ui.targets.includes(row.name) ? '*' : '', 3)} ${row.code ?? ''}`}
        </Line>
      ))}
      {streams.length === 0 ? <Line dim>{'  no stream yet: :open NAME on local|pty|ssh://host'}</Line> : null}
      <Line color="cyan">
        {rule(
          `${stream ?? ''} ${showTerminal ? 'terminal' : 'output'}${ui.filters.streams ? ` (filter ${ui.filters.streams})` : ''}`,
          width,
        )}
      </Line>
      {showTerminal
        ? (terminal?.tail(outputHeight) ?? []).map((text, index) => <Line key={index}>{text}</Line>)
        : outputLines(view, stream, outputHeight, ui.scroll, ui.filters.streams).map((line, index) => (
            <Line
              key={index}
              {...(line.kind === 'head'
                ? { bold: true, color: 'cyan' }
                : line.kind === 'err'
                  ? { color: 'red' }
                  : {})}
            >
              {line.text}
            </Line>
          ))}
    </Box>
  );
}

export function QueuePane({ ui, view, width, height }: PaneProps) {
  const stream = selectedStream(ui, view);
  const tasks = taskRows(view, stream).filter((task) =>
    passes(`${task.id} ${task.state} ${task.block}`, ui.filters.queue),
  );
  const { rows } = windowOf(tasks, ui.selected.queue, height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line
        bold
      >{`  tasks of ${stream ?? '-'}: ${cell('TASK', 16)} ${cell('STATE', 10)} ${cell('EXIT', 6)} ${cell('TIME', 8)} BLOCK`}</Line>
      {rows.map((task) => (
        <Line
          key={task.id}
          inverse={tasks.indexOf(task) === ui.selected.queue}
          color={STATE_COLOR[task.state] ?? 'white'}
        >
          {`  ${cell(task.id, 28)} ${cell(task.state, 10)} ${cell(task.exitCode ?? '', 6)} ${cell(task.durationMs === undefined ? '' : `${(task.durationMs / 1000).toFixed(1)}s`, 8)} ${taskCommand(view, task)}`}
        </Line>
      ))}
    </Box>
  );
}

export function ComparePane({ ui, view, width, height }: PaneProps) {
  const groups = compareGroups(view);
  const lines: { text: string; head: boolean; failed: boolean; selected: boolean }[] = [];
  groups.forEach((group, index) => {
    lines.push({
      text: `== ${group.heading} (${group.status}) ${'='.repeat(width)}`,
      head: true,
      failed: group.failed,
      selected: index === ui.selected.compare,
    });
    for (const text of group.lines.filter((line) => passes(line, ui.filters.compare)))
      lines.push({ text, head: false, failed: false, selected: false });
  });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line bold>
        {view.compare
          ? `last on ${view.compare.tasks.length} streams: ${view.compare.block.split('\n')[0] ?? ''}  (e: expect the selected block)`
          : 'no command has run on several streams yet: :fg {a,b}: CMD'}
      </Line>
      {lines.slice(0, height - 1).map((line, index) => (
        <Line
          key={index}
          bold={line.head}
          inverse={line.selected}
          {...(line.head ? { color: line.failed ? 'red' : 'green' } : {})}
        >
          {line.text}
        </Line>
      ))}
    </Box>
  );
}

export function BarriersPane({ ui, view, width, height }: PaneProps) {
  const barriers = barrierRows(view, ui.filters.barriers);
  const { rows } = windowOf(barriers, ui.selected.barriers, height - 2);
  const holding = view.job.holding;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line>{`hold all: ${holding.all ? 'on' : 'off'}   held: ${holding.barriers.join(',') || '-'}   h hold  s step  H hold all  R release all`}</Line>
      <Line
        bold
      >{`  ${cell('BARRIER', 16)} ${cell('GEN', 4)} ${cell('ARRIVED', 8)} ${cell('MISSING', 20)} ${cell('STATE', 8)} HELD`}</Line>
      {barriers.length === 0 ? <Line dim>{'  no barrier yet'}</Line> : null}
      {rows.map((barrier) => (
        <Line
          key={barrier.name}
          inverse={barriers.indexOf(barrier) === ui.selected.barriers}
          color={STATE_COLOR[barrier.state] ?? 'white'}
        >
          {`  ${cell(barrier.name, 16)} ${cell(barrier.gen, 4)} ${cell(`${barrier.arrived.length}/${barrier.count ?? '?'}`, 8)} ${cell(barrier.missing.join(',') || (barrier.missingCount ? String(barrier.missingCount) : '-'), 20)} ${cell(barrier.state, 8)} ${barrier.held ? 'H' : ''}`}
        </Line>
      ))}
    </Box>
  );
}

export function VariantsPane({ ui, view, width, height }: PaneProps) {
  const variants = view.variants;
  const treeWidth = Math.max(20, Math.floor(width / 3));
  const rightWidth = width - treeWidth - 1;
  const selected = variants.variants[Math.min(ui.selected.variants, variants.variants.length - 1)];
  const listHeight = Math.max(3, Math.floor((height - 2) / 2));
  const { rows } = windowOf(variants.variants, ui.selected.variants, listHeight);
  return (
    <Box flexDirection="row" width={width} height={height}>
      <Box flexDirection="column" width={treeWidth}>
        <Line bold>{`tree: ${variants.files.join(', ') || '(none: :variants FILE)'}`}</Line>
        {variants.rows.slice(0, height - 1).map((row) => (
          <Line key={row.path} {...(selected?.paths.includes(row.path) ? { color: 'green' } : {})}>
            {`${'  '.repeat(row.depth)}${row.name || '/'}${row.mux ? ' !mux' : ''}`}
          </Line>
        ))}
      </Box>
      <Box flexDirection="column" width={rightWidth} marginLeft={1}>
        <Line
          bold
        >{`filter: ${variants.filter || '(all)'}   ${variants.count} variants${variants.error ? `   ${variants.error}` : ''}`}</Line>
        {rows.map((variant) => (
          <Line
            key={variant.id}
            inverse={variant === selected}
            {...(view.bound === variant.id ? { color: 'green' } : {})}
          >
            {`${variant.id}${view.bound === variant.id ? '  (bound)' : ''}`}
          </Line>
        ))}
        <Line color="cyan">{rule(`params of ${selected?.id ?? '-'} (b binds)`, rightWidth)}</Line>
        {(selected?.params ?? []).slice(0, height - listHeight - 2).map((param) => (
          <Line key={param.key}>{`${cell(param.key, 16)} = ${cell(param.value, 16)} ${param.origin}`}</Line>
        ))}
      </Box>
    </Box>
  );
}

export function LogPane({ ui, view, height, width }: PaneProps) {
  const lines = view.log.lines.filter((line) => passes(line, ui.filters.log));
  const end = Math.max(0, lines.length - ui.scroll);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(Math.max(0, end - height), end).map((line, index) => (
        <Line
          key={index}
          {...(line.startsWith('>') ? { color: 'cyan' } : line.startsWith('  ') ? { color: 'yellow' } : {})}
        >
          {line}
        </Line>
      ))}
    </Box>
  );
}

/** The place of the charts drawn inside ink (ui/charts/): durations, barrier waits, a series from output. */
export function ChartsPane({ width, height }: PaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line dim>
        charts: task durations, barrier waits and series from output are drawn here (ui/charts/)
      </Line>
    </Box>
  );
}
