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
} from './journal/index.ts';
export { TOOL_VERSION } from './version.ts';
