import test from 'ava';
import { render } from 'ink-testing-library';
import { Bars } from '../../ui/charts/bars-view.tsx';
import { LineChart } from '../../ui/charts/line-chart-view.tsx';
import { Sparkline } from '../../ui/charts/sparkline-view.tsx';
import { formatDuration } from '../../ui/charts/format.ts';
import { waitFor } from '../helpers/wait.ts';

/** The frame once it matches `pattern`: ink renders asynchronously, so poll, never sleep. */
async function frameMatching(lastFrame: () => string | undefined, pattern: RegExp): Promise<string> {
  return waitFor(() => (pattern.test(lastFrame() ?? '') ? (lastFrame() ?? '') : undefined), {
    what: `a frame matching ${String(pattern)}`,
  });
}

test('<Sparkline> renders its label and the line in the width', async (t) => {
  const { lastFrame, unmount } = render(<Sparkline label="ev/s" values={[0, 2, 4, 8]} width={12} />);
  t.teardown(unmount);
  t.is(await frameMatching(lastFrame, /ev\/s/), 'ev/s ▁▃▅█');
});

test('<Bars> renders one row a bar and sums up the rest', async (t) => {
  const bars = [
    { label: 'server/01', value: 1500 },
    { label: 'client/01', value: 750 },
    { label: 'client/02', value: 10 },
  ];
  const { lastFrame, unmount } = render(<Bars bars={bars} width={30} height={2} format={formatDuration} />);
  t.teardown(unmount);
  t.is(await frameMatching(lastFrame, /more/), 'server/01 ███████████████ 1.5s\n… 2 more');
});

test('<LineChart> renders the braille plot with its axis', async (t) => {
  const { lastFrame, unmount } = render(<LineChart values={[1, 2, 3, 4]} width={6} height={2} />);
  t.teardown(unmount);
  t.is(await frameMatching(lastFrame, /┤/), '4┤  ⡠⠊\n1┤⡠⠊');
});
