/** Baton's public library entry: everything a scenario module or an embedding program may import. */
export { BatonError, ERROR_CODES, EXIT, exitCodeOf, isBatonError } from './errors.ts';
export type { ErrorCode, ErrorFields, ExitCode } from './errors.ts';
export {
  Journal,
  JournalWriter,
  recordJournal,
  parseJournal,
  readJournal,
  JOURNAL_FORMAT,
} from './journal/index.ts';
export type {
  JournalEvent,
  JournalEventBody,
  JournalHeader,
  EventHandlers,
  Subscriber,
  CommandSource,
  FailureReport,
} from './journal/index.ts';
export { TOOL_VERSION } from './version.ts';
export { sh, script, module, resolveBlock } from './stream/block.ts';
export type { Block, BlockRef, BlockOptions } from './stream/block.ts';
export { Stream } from './stream/stream.ts';
export type { RunOptions, StreamOptions } from './stream/stream.ts';
export { StreamGroup } from './stream/group.ts';
export { TaskError } from './stream/task.ts';
export type { TaskHandle, TaskRecord } from './stream/task.ts';
export type { BlockContext } from './stream/module-runtime.ts';
export type { ScenarioContext, OpenOptions, Logger } from './scenario/context.ts';
export { Controller } from './controller/controller.ts';
export type { ControllerOptions, CommandResults } from './controller/controller.ts';
export { StreamHandle } from './controller/stream-handle.ts';
export { checkCommand } from './controller/command.ts';
export type { Command, CommandKind, Expectation, TaskCommand } from './controller/command.ts';
export { initialState, reduce, reduceAll, cloneState } from './controller/state.ts';
export type { JobState, StreamView, TaskView, BarrierView, VariantView } from './controller/state.ts';
export type { StreamTerminal } from './stream/terminal.ts';
export { summarizeJournal } from './report/job-report.ts';
export type { ScenarioVariant, VariantParams } from './scenario/variant.ts';
export { HostBook, parseHostsFile, readHostsFile } from './scenario/hosts-file.ts';
export { runJob } from './scenario/runner.ts';
export type { RunJobOptions } from './scenario/runner.ts';
export type { JobSummary, VariantResult } from './report/job-report.ts';
export type { HostSpec, Transport } from './transport/transport.ts';
export {
  loadVariantTree,
  prepareVariants,
  expandVariants,
  Variant,
  MuxParams,
  variantEnv,
  variantValues,
  fileReader,
  memoryReader,
  formatDiagnostic,
  DEFAULT_MUX_PATHS,
} from './mux/index.ts';
export type {
  LoadResult,
  MuxDiagnostic,
  MuxFileReader,
  PreparedVariants,
  VariantOptions,
  PyValue,
} from './mux/index.ts';
export {
  SyncServer,
  startSyncServer,
  SyncClient,
  JobSyncServer,
  startJobSyncServer,
  toHistoryOp,
} from './sync/index.ts';
export type {
  SyncServerOptions,
  SyncClientOptions,
  SyncRelease,
  WaitOptions,
  BarrierStatusLine,
  JobSyncOptions,
  SyncEnv,
  SyncLimits,
  HistoryOp,
} from './sync/index.ts';
