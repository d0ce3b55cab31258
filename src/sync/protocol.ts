/** The sync protocol's vocabulary (spec sync.md 8.1): versions, verbs, names and the shapes of parsed lines. */

export const PROTOCOL_VERSION = 1;

/** Barrier, member and scope names (S5): never executed, never deserialized, only compared and echoed. */
export const NAME_PATTERN = /^[A-Za-z0-9._:/-]{1,128}$/;

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** A request id echoed on every answering line (P3); any token up to 128 characters. */
export const MAX_ID_LENGTH = 128;

export const CLIENT_VERBS = [
  'HELLO',
  'WAIT',
  'CANCEL',
  'ABORT',
  'FAIL',
  'RESET',
  'STATUS',
  'PING',
  'HELP',
  'BYE',
] as const;
export type ClientVerb = (typeof CLIENT_VERBS)[number];

/** Lines that end a WAIT: exactly one of them per waiter and generation (B5), CANCELLED aside. */
export const OUTCOME_VERBS = ['GO', 'ABORTED', 'TIMEOUT', 'LOST'] as const;
export type OutcomeVerb = (typeof OUTCOME_VERBS)[number];
export type OutcomeKind = 'go' | 'aborted' | 'timeout' | 'lost';

export const OUTCOME_VERB: Record<OutcomeKind, OutcomeVerb> = {
  go: 'GO',
  aborted: 'ABORTED',
  timeout: 'TIMEOUT',
  lost: 'LOST',
};

/** One parsed protocol line: `VERB arg arg key=value …`, values still percent-encoded. */
export interface Message {
  verb: string;
  args: string[];
  /** Keys to raw (percent-encoded) values; a null-prototype object, so any key is safe. */
  fields: Record<string, string>;
}

/** The `ERR` reasons the server sends; clients match on them, never on prose. */
export type ErrReason =
  | 'line-too-long'
  | 'unknown-verb'
  | 'bad-request'
  | 'bad-name'
  | 'bad-encoding'
  | 'auth'
  | 'auth-timeout'
  | 'unsupported-version'
  | 'already-hello'
  | 'duplicate-member'
  | 'unknown-session'
  | 'session-expired'
  | 'superseded'
  | 'count-mismatch'
  | 'members-mismatch'
  | 'not-a-member'
  | 'gen-expired'
  | 'gen-not-open'
  | 'extend-not-allowed'
  | 'data-too-large'
  | 'not-waiting'
  | 'too-many-connections'
  | 'too-many-unauthenticated'
  | 'too-many-barriers'
  | 'count-too-large'
  | 'barrier-held'
  | 'shutdown';

/** What `HELP` prints, one line per verb (P4). */
export const HELP_LINES: readonly string[] = [
  'HELLO 1 member=NAME token=TOKEN [session=TOKEN|-] [scope=NAME]',
  'WAIT NAME count=N [members=A,B,...] [timeout_ms=MS] [extend=1] [gen=G] [data=PCT] [scope=NAME]',
  'CANCEL NAME',
  'ABORT NAME [reason=PCT]',
  'FAIL [scope=NAME] [reason=PCT]',
  'RESET [scope=NAME]',
  'STATUS [NAME]',
  'PING',
  'HELP',
  'BYE',
];
