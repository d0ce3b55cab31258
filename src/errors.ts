/**
 * Exit codes of the command line (DESIGN.md): 0 passed, 1 a scenario failed, 2 bad input or usage, 3 the
 * environment failed, 130 interrupted (SIGINT, SIGTERM or SIGHUP).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, environment: 3, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The closed list of error codes. Each code is stable (tests and scripts match on it) and maps to one exit code.
 * Add a code here, in its area's block, before throwing it anywhere.
 */
export const ERROR_CODES = {
  // command line and generic input
  USAGE: EXIT.usage,
  NOT_IMPLEMENTED: EXIT.usage,
  FILE_NOT_FOUND: EXIT.usage,
  FILE_UNREADABLE: EXIT.usage,
  INTERNAL: EXIT.failed,
  INTERRUPTED: EXIT.interrupted,

  // journal
  JOURNAL_BAD_FORMAT: EXIT.usage,
  JOURNAL_VERSION: EXIT.usage,
  JOURNAL_WRITE_FAILED: EXIT.environment,
  RESULTS_UNWRITABLE: EXIT.environment,

  // multiplexer
  MUX_YAML_SYNTAX: EXIT.usage,
  MUX_BAD_DOCUMENT: EXIT.usage,
  MUX_BAD_TAG: EXIT.usage,
  MUX_INCLUDE_MISSING: EXIT.usage,
  MUX_INCLUDE_CYCLE: EXIT.usage,
  MUX_USING_TWICE: EXIT.usage,
  MUX_TOO_LARGE: EXIT.usage,
  MUX_BAD_INJECT: EXIT.usage,
  MUX_BAD_FILTER: EXIT.usage,
  MUX_BAD_OVERRIDE: EXIT.usage,
  MUX_FILTER_NO_MATCH: EXIT.usage,
  MUX_PARAMS_CLASH: EXIT.failed,
  MUX_OVERRIDE_CLASH: EXIT.failed,
  MUX_OVERRIDE_NO_MATCH: EXIT.usage,
  MUX_BAD_PATH: EXIT.usage,

  // sync service
  SYNC_PROTOCOL: EXIT.usage,
  SYNC_AUTH: EXIT.environment,
  SYNC_CONNECT_FAILED: EXIT.environment,
  SYNC_SERVER_RESTARTED: EXIT.environment,
  SYNC_ERR: EXIT.usage,
  SYNC_ABORTED: EXIT.failed,
  SYNC_TIMEOUT: EXIT.failed,
  SYNC_LOST: EXIT.failed,
  SYNC_CANCELLED: EXIT.failed,

  // hosts and transports
  HOST_UNKNOWN: EXIT.usage,
  HOST_BAD_SPEC: EXIT.usage,
  ANSIBLE_NOT_INSTALLED: EXIT.environment,
  ANSIBLE_INVENTORY_INVALID: EXIT.usage,
  ANSIBLE_HOST_UNSUPPORTED: EXIT.usage,
  SSH_CONNECT_REFUSED: EXIT.environment,
  SSH_CONNECT_TIMEOUT: EXIT.environment,
  SSH_CONNECT_FAILED: EXIT.environment,
  SSH_AUTH_FAILED: EXIT.environment,
  SSH_HOST_KEY_UNKNOWN: EXIT.environment,
  SSH_HOST_KEY_MISMATCH: EXIT.environment,
  SSH_CONFIG_INVALID: EXIT.usage,
  HOST_LOST: EXIT.environment,
  TRANSPORT_SPAWN_FAILED: EXIT.environment,
  TRANSPORT_CLOSED: EXIT.environment,
  TRANSPORT_NO_TERMINAL: EXIT.usage,
  TRANSPORT_COPY_FAILED: EXIT.environment,

  // streams, tasks and blocks
  STREAM_CLOSED: EXIT.failed,
  STREAM_UNKNOWN: EXIT.usage,
  TASK_FAILED: EXIT.failed,
  TASK_TIMEOUT: EXIT.failed,
  TASK_CANCELLED: EXIT.failed,
  BLOCK_NOT_FOUND: EXIT.usage,
  BLOCK_NO_EXPORT: EXIT.usage,
  BLOCK_COMMAND_NOT_FOUND: EXIT.failed,
  BLOCK_NEEDS_NODE: EXIT.environment,
  SCENARIO_INVALID: EXIT.usage,
  /** A scenario's own code threw (not a task, not Baton): the scenario failed, it is no bug of Baton. */
  SCENARIO_ERROR: EXIT.failed,
  TASK_UNKNOWN: EXIT.usage,
  TASK_NOT_OWNED: EXIT.usage,

  // the controller and its commands
  COMMAND_INVALID: EXIT.usage,
  STREAM_EXISTS: EXIT.usage,
  GROUP_UNKNOWN: EXIT.usage,
  BARRIER_BAD_COUNT: EXIT.usage,
  BARRIER_BAD_NAME: EXIT.usage,
  BARRIER_NOT_HELD: EXIT.usage,
  VARIANT_UNKNOWN: EXIT.usage,
  EXPECT_FAILED: EXIT.failed,

  // sessions (recording and replay)
  SESSION_SYNTAX: EXIT.usage,
  SESSION_VERSION: EXIT.usage,
  SESSION_EXPECT_FAILED: EXIT.failed,
  SESSION_STEP_TIMEOUT: EXIT.failed,
  SESSION_STEP_FAILED: EXIT.failed,
  SESSION_UNKNOWN_COMMAND: EXIT.usage,
  SESSION_BAD_ARGUMENT: EXIT.usage,
  SESSION_UNKNOWN_STREAM: EXIT.usage,
  SESSION_UNKNOWN_HOST: EXIT.usage,
  SESSION_UNDEFINED_VARIABLE: EXIT.usage,
  SESSION_SOURCE_CYCLE: EXIT.usage,
  SESSION_FILE_MISSING: EXIT.usage,
  SESSION_UNCLOSED_BLOCK: EXIT.usage,
  SESSION_VARIANT_CHANGED: EXIT.usage,
  SESSION_VOLATILE_LITERAL: EXIT.usage,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Structured context of an error; every field is optional and machine-readable. */
export interface ErrorFields {
  file?: string;
  line?: number;
  col?: number;
  host?: string;
  stream?: string;
  [field: string]: unknown;
}

/** The one base error of Baton: a stable `code`, structured `fields`, and the underlying error as `cause`. */
export class BatonError extends Error {
  override readonly name = 'BatonError';
  readonly code: ErrorCode;
  readonly fields: ErrorFields;

  constructor(code: ErrorCode, message: string, fields: ErrorFields = {}, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fields = fields;
  }

  /** `file:line:col: message` when the error has a position, else the message. */
  get located(): string {
    const { file, line, col } = this.fields;
    if (file === undefined) return this.message;
    return `${[file, line, col].filter((part) => part !== undefined).join(':')}: ${this.message}`;
  }

  toJSON(): { code: ErrorCode; message: string } & ErrorFields {
    return { code: this.code, message: this.message, ...this.fields };
  }
}

export function isBatonError(error: unknown, code?: ErrorCode): error is BatonError {
  return error instanceof BatonError && (code === undefined || error.code === code);
}

export function exitCodeOf(error: unknown): ExitCode {
  return isBatonError(error) ? ERROR_CODES[error.code] : EXIT.failed;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/** The message of anything thrown, for one-line reports. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
