export { Journal, newJobId } from './journal.ts';
export type { Disposable, JournalOptions, Subscriber } from './journal.ts';
export { JournalWriter, recordJournal } from './writer.ts';
export { parseEventLine, parseJournal, readJournal } from './reader.ts';
export type { ParsedJournal } from './reader.ts';
export { EVENT_KINDS, JOURNAL_FORMAT, dispatchEvent } from './events.ts';
export type * from './events.ts';
