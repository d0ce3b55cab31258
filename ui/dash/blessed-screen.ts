// The one module that imports blessed and blessed-contrib: `baton dash` loads it lazily, nothing else does.
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { Readable, Writable } from 'node:stream';
import contrib from 'blessed-contrib';
import type { widget } from 'blessed-contrib';
import { horizontalBars } from '../charts/bars.ts';
import { fit, formatDuration } from '../charts/format.ts';
import type { DashModel } from './model.ts';
import { jobTitle, rateTitle, STREAM_HEADERS, streamRows, taskDurationBars } from './panels.ts';
import { timelineRows } from './timeline.ts';

export interface DashScreen {
  /** Draw the model as it stands (cheap enough for a few times a second). */
  draw(model: DashModel): void;
  /** `q`, Escape or Ctrl-C. */
  onQuit(handler: () => void): void;
  /** Leave the terminal as it was: alternate screen left, cursor shown, raw mode off. */
  destroy(): void;
}

export interface ScreenIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

const COLUMN_SPACING = 2;
/** Below this the panes cannot show a row of each: a notice replaces them. */
const MIN_SIZE = { cols: 60, rows: 16 };

/** A full-screen blessed-contrib dashboard on the terminal of `io`: streams, events/s, barriers, task durations, log. */
export function openDashScreen(io: ScreenIO): DashScreen {
  // Plain Unicode line drawing rather than DEC ACS, which screen captures show as `lqqk`.
  process.env.NCURSES_NO_UTF8_ACS ??= '1';
  const screen = blessed.screen({
    // @types/blessed 0.1.27 declares `input` writable and `output` readable, the other way round.
    input: io.stdin as unknown as Writable,
    output: io.stdout as unknown as Readable,
    smartCSR: true,
    fullUnicode: true,
    warnings: false,
    title: 'baton dash',
  });
  // Basic colour names only: blessed turns 'gray' into a broken escape sequence.
  const grid = new contrib.grid({ rows: 12, cols: 12, screen, color: 'cyan' });
  const streams = grid.set(0, 0, 4, 8, contrib.table, {
    label: ' streams ',
    keys: false,
    interactive: false,
    fg: 'white',
    columnSpacing: COLUMN_SPACING,
    columnWidth: STREAM_HEADERS.map((header) => header.length),
  });
  const rate = grid.set(0, 8, 4, 4, contrib.sparkline, {
    label: ' events/s ',
    tags: true,
    style: { fg: 'green', titleFg: 'white' },
  });
  const barriers = grid.set(4, 0, 4, 7, blessed.box, { label: ' barriers ', tags: false });
  const durations = grid.set(4, 7, 4, 5, blessed.box, { label: ' task durations ', tags: false });
  const log = grid.set(8, 0, 4, 12, contrib.log, {
    label: ' log ',
    fg: 'white',
    tags: false,
    bufferLength: 300,
  });
  const tooSmall = blessed.box({
    parent: screen,
    top: 0,
    left: 0,
    width: '100%',
    height: '100%',
    hidden: true,
  });

  let model: DashModel | undefined;
  const redraw = () => {
    if (model) drawAll(model);
  };
  const drawAll = (current: DashModel) => {
    drawStreams(streams, current);
    rate.setLabel(fit(` events/s · at ${(current.now / 1000).toFixed(1)}s `, Number(rate.width) - 4));
    // The title gets a colon after it and wraps at a word when it is as wide as the box.
    rate.setData(
      [fit(rateTitle(current), inner(rate).width - 2)],
      [current.eventsPerSecond.slice(-Math.max(1, inner(rate).width))],
    );
    const timeline = inner(barriers);
    barriers.setContent(
      current.barrierSpans.spans.length === 0
        ? 'no barriers yet'
        : timelineRows(current.barrierSpans.spans, { ...timeline, now: current.now }).join('\n'),
    );
    const bars = taskDurationBars(current.state);
    durations.setContent(
      bars.length === 0
        ? 'no finished tasks yet'
        : horizontalBars(bars, { ...inner(durations), format: formatDuration }).join('\n'),
    );
    for (const line of current.takeLog()) log.log(line);
    tooSmall.setContent(
      `terminal too small: ${screen.width}x${screen.height}, the dashboard needs ${MIN_SIZE.cols}x${MIN_SIZE.rows}`,
    );
    if (Number(screen.width) < MIN_SIZE.cols || Number(screen.height) < MIN_SIZE.rows) tooSmall.show();
    else tooSmall.hide();
    screen.render();
  };
  // An ink session earlier in this process leaves stdin unref'd: the dashboard would then end at once.
  (io.stdin as { ref?: () => void }).ref?.();
  screen.on('resize', redraw);

  return {
    draw(current) {
      model = current;
      drawAll(current);
    },
    onQuit(handler) {
      screen.key(['q', 'escape', 'C-c'], handler);
    },
    destroy() {
      screen.destroy();
    },
  };
}

/** The cells inside a bordered widget. */
function inner(element: Widgets.BlessedElement): { width: number; height: number } {
  return { width: Math.max(0, Number(element.width) - 2), height: Math.max(0, Number(element.height) - 2) };
}

/** The stream table with its columns fitted to the widget: the last column takes what is left. */
function drawStreams(table: widget.Table, model: DashModel): void {
  const rows = streamRows(model.state);
  const widths = STREAM_HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column].length)),
  );
  const available = inner(table).width - 1;
  const fixed = widths.slice(0, -1).reduce((sum, width) => sum + width + COLUMN_SPACING, 0);
  widths[widths.length - 1] = Math.max(4, available - fixed);
  table.options.columnWidth = widths;
  const cell = (text: string, column: number) => blessed.escape(fit(text, widths[column]));
  table.setData({
    headers: STREAM_HEADERS.map(cell),
    data: rows.map((row) => row.map(cell)),
  });
  // blessed-contrib draws the rows one cell right of the header: move the header over them.
  table.setContent(' ' + table.getContent());
  // A label wider than its box wraps onto the box's first line: cut it to the border.
  table.setLabel(fit(` streams · ${jobTitle(model)} `, Number(table.width) - 4));
}
