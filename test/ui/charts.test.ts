import test from 'ava';
import { extractSeries, IPERF3_MBITS } from '../../ui/charts/series.ts';
import { horizontalBars } from '../../ui/charts/bars.ts';
import { lineChart } from '../../ui/charts/line-chart.ts';
import { sparkline } from '../../ui/charts/sparkline.ts';
import { formatDuration } from '../../ui/charts/format.ts';

test('a sparkline scales from zero to the highest value and pads to its width', (t) => {
  t.is(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 10), '▁▂▃▄▅▆▇█  ');
  t.is(sparkline([2, 4, 8], 3), '▃▅█');
});

test('a sparkline shows the last values that fit, and blanks when there are none', (t) => {
  t.is(sparkline([9, 0, 7, 7], 2), '██');
  t.is(sparkline([], 4), '    ');
  t.is(sparkline([3, 3], 2), '██');
  t.is(sparkline([0, 0], 3), '▁▁ ');
  t.is(sparkline([1], 0), '');
});

test('horizontal bars are scaled to the largest, in eighths of a cell, rows of exactly the width', (t) => {
  const rows = horizontalBars(
    [
      { label: 'server/01', value: 1200 },
      { label: 'client1/01', value: 600 },
      { label: 'c', value: 75 },
    ],
    { width: 40, height: 5 },
  );
  t.deepEqual(rows, [
    'server/01  ████████████████████████ 1200',
    'client1/01 ████████████              600',
    'c          █▌                         75',
  ]);
});

test('horizontal bars cut long labels, format values and sum up the rows that do not fit', (t) => {
  const rows = horizontalBars(
    [
      { label: 'a-very-long-label', value: 2000 },
      { label: 'b', value: 500 },
      { label: 'c', value: 10 },
    ],
    { width: 24, height: 2, format: formatDuration },
  );
  t.deepEqual(rows, ['a-very-… ██████████ 2.0s', '… 2 more                ']);
  t.deepEqual(horizontalBars([{ label: 'x', value: 1 }], { width: 10, height: 0 }), []);
});

test('a line chart draws the series in braille with its range on the axis', (t) => {
  t.deepEqual(lineChart([1, 3, 2, 5, 4, 8, 6, 9], { width: 20, height: 4 }), [
    '9┤            ⡠⣀  ⢠⠊',
    ' │       ⢀  ⢀⡰⠁ ⠑⠔⠁ ',
    ' │  ⢀   ⡰⠁⠉⠒⠊       ',
    '1┤⡠⠒⠁⠉⠑⠊            ',
  ]);
});

test('a line chart of equal values draws a level line; of no values, an empty plot', (t) => {
  t.deepEqual(lineChart([5, 5, 5], { width: 6, height: 2 }), ['5┤⣀⣀⣀⣀', '5┤    ']);
  t.deepEqual(lineChart([], { width: 4, height: 2 }), ['┤   ', '┤   ']);
});

test('a line chart shows the last points that fit (two a cell)', (t) => {
  t.deepEqual(lineChart([100, 0, 0, 0, 1, 2], { width: 4, height: 1 }), ['2┤⣀⠞']);
});

const IPERF3 = `Connecting to host 10.0.0.1, port 5201
[  5] local 10.0.0.2 port 40000 connected to 10.0.0.1 port 5201
[ ID] Interval           Transfer     Bitrate         Retr  Cwnd
[  5]   0.00-1.00   sec   112 MBytes   941 Mbits/sec    0    245 KBytes
[  5]   1.00-2.00   sec   131 MBytes  1.10 Gbits/sec    0    245 KBytes
[  5]   2.00-3.00   sec   100 KBytes   800 Kbits/sec    2   1.41 KBytes
- - - - - - - - - - - - - - - - - - - - - - - - -
[  5]   0.00-3.00   sec   243 MBytes   680 Mbits/sec    2             sender
[  5]   0.00-3.00   sec   242 MBytes   677 Mbits/sec                  receiver
`;

test("the iperf3 pattern takes each interval's bitrate in Mbit/s and leaves the summaries out", (t) => {
  t.deepEqual(extractSeries(IPERF3, IPERF3_MBITS), [941, 1100, 0.8]);
});

test('a plain pattern takes its first group, or the whole match, from each line that has it', (t) => {
  const lines = ['rtt 1.5 ms', 'no figure here', 'rtt 2 ms', 'rtt x ms'];
  t.deepEqual(extractSeries(lines, /rtt ([\d.]+) ms/g), [1.5, 2]);
  t.deepEqual(extractSeries('a 12\nb 7\r\nc', /\d+/), [12, 7]);
  t.deepEqual(
    extractSeries('t=3 unit=s\nt=4 unit=h', { pattern: /t=(?<value>\d+) unit=(?<unit>\w)/, scale: { s: 1 } }),
    [3],
  );
});
