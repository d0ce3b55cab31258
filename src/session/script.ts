import type { Command, Expectation } from '../controller/command.ts';

/** Where a line of a script comes from: `file:line`, 1-based. */
export interface LineRef {
  file: string;
  line: number;
  /** The source line as written. */
  text: string;
}

/** What a step does: a controller command, or the one explicit wait on output silence. */
export type Action = { kind: 'command'; command: Command } | { kind: 'settle'; stream: string; ms: number };

export interface ExpectLine extends LineRef {
  expectation: Expectation;
}

/** One command and the `expect` lines that follow it. */
export interface Step extends LineRef {
  action: Action;
  expects: ExpectLine[];
}

export type Item = { type: 'step'; step: Step } | (LineRef & { type: 'for'; filter: string[]; body: Item[] });

/** A parsed session script: `source`d files are inlined, their steps keeping their own file and line. */
export interface Script {
  file: string;
  version: number;
  /** The header's key=value pairs (R2). */
  header: Record<string, string>;
  /** Declared hosts: name to spec, `${VAR:-default}` expanded. */
  hosts: Record<string, string>;
  /** Variant tree files, resolved against the script's folder. */
  variantFiles: string[];
  items: Item[];
  /** Teardown: runs when the script ends, passed, failed or interrupted. */
  finally: Item[];
  /** Names of `${secret:NAME}` the script reads from the environment. */
  secrets: string[];
}

export const SESSION_FORMAT = 1;

/** Every step of a list of items, loops included once. */
export function* stepsOf(items: readonly Item[]): Generator<Step> {
  for (const item of items) {
    if (item.type === 'step') yield item.step;
    else yield* stepsOf(item.body);
  }
}
