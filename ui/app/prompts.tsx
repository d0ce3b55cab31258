// @jsxRuntime automatic
// @jsxImportSource react
import { Box } from 'ink';
import { BINDINGS } from '../state/bindings.ts';
import type { BindingContext } from '../state/bindings.ts';
import type { JobView } from '../view/job-view.ts';
import { REPLAY_PHASES } from '../view/replay-view.ts';
import type { ReplayView } from '../view/replay-view.ts';
import { Line, windowOf } from './line.tsx';

const STEP_ROWS = 5;

const STATUS_MARK: Record<string, string> = {
  pending: ' ',
  running: '…',
  passed: '✓',
  failed: '✗',
  skipped: '-',
  dropped: '#',
};

const PHASE_TEXT: Record<ReplayView['phase'], string> = {
  running: 'running',
  paused: 'paused before',
  failed: 'failed at',
  'taken-over': 'taken over before',
  done: 'done',
};

/** The keys of a context as the registry names them (`n step  c continue`), those of `names` only. */
function keyHints(context: BindingContext, names: (name: string) => boolean): string {
  return BINDINGS.filter((binding) => binding.context === context && names(binding.name))
    .map((binding) => `${binding.keys[0] ?? ''} ${binding.name.replace(/^(replay|proposal)-/, '')}`)
    .join('  ');
}

/** How many rows the replay strip takes. */
export function replayRows(view: JobView): number {
  return view.replay ? Math.min(STEP_ROWS, view.replay.steps.length) + 1 : 0;
}

/** The replayed script's steps around the current one (marked `>`), its phase, and the keys that act now. */
export function ReplayStrip({ view, width }: { view: JobView; width: number }) {
  const replay = view.replay;
  if (!replay) return null;
  const current = replay.steps[replay.current];
  const where = replay.phase === 'done' || !current ? '' : ` step ${current.number}/${replay.steps.length}`;
  const keys = [
    keyHints('replay', (name) => REPLAY_PHASES[name]?.includes(replay.phase) === true),
    'w save',
  ].join('  ');
  const { rows } = windowOf(replay.steps, replay.current, STEP_ROWS);
  return (
    <Box flexDirection="column" width={width}>
      <Line bold color={replay.phase === 'failed' ? 'red' : 'cyan'}>
        {`replay ${replay.script}: ${PHASE_TEXT[replay.phase]}${where}   ${keys}`}
      </Line>
      {rows.map((row) => (
        <Line
          key={row.number}
          inverse={row.number === current?.number && replay.phase !== 'done'}
          {...(row.status === 'failed' ? { color: 'red' } : row.status === 'dropped' ? { dim: true } : {})}
        >
          {`${row.number === current?.number ? '>' : ' '} ${STATUS_MARK[row.status] ?? ' '} ${String(row.number).padStart(2)} ${row.where}  ${row.text}`}
        </Line>
      ))}
    </Box>
  );
}

/** The first output expectation proposed after a step (R3), and the one-key answers to it. */
export function ProposalLine({ view }: { view: JobView }) {
  const proposal = view.proposals[0];
  if (proposal === undefined) return null;
  const more = view.proposals.length > 1 ? ` (+${view.proposals.length - 1})` : '';
  return <Line color="green">{`proposed: ${proposal}${more}   ${keyHints('proposal', () => true)}`}</Line>;
}
