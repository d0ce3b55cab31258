/** Where a replay in the console is: running, paused before a step, stopped at a failed one, or over. */
export type ReplayPhase = 'running' | 'paused' | 'failed' | 'taken-over' | 'done';

export type StepStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'dropped';

export interface ReplayStepRow {
  number: number;
  /** `file:line` of the step. */
  where: string;
  /** The step's first line. */
  text: string;
  /** One line (not a `<<TAG` block): it can be edited at the command line. */
  editable: boolean;
  status: StepStatus;
}

/** The replay as the console shows it; the replay driver changes it, the reducer only reads it. */
export interface ReplayView {
  /** The script, as its name is shown. */
  script: string;
  phase: ReplayPhase;
  steps: ReplayStepRow[];
  /** Index into `steps` of the step about to run, running, or failed. */
  current: number;
  /** Where `save` writes unless told otherwise. */
  saveAs: string;
}

/** Which replay keys act in which phase: the others are left to the panes. */
export const REPLAY_PHASES: Record<string, readonly ReplayPhase[]> = {
  'replay-step': ['paused'],
  'replay-continue': ['paused'],
  'replay-pause': ['running'],
  'replay-redo': ['failed'],
  'replay-edit': ['failed'],
  'replay-skip': ['failed'],
  'replay-takeover': ['running', 'paused', 'failed'],
};
