import type { Command } from './command.ts';

/**
 * One entry of the command registry: what `baton --help` lists, and how to load the command. Loading is
 * lazy so that `baton --help` imports no command module (no ssh2, no multiplexer, no sync server).
 */
export interface CommandEntry {
  name: string;
  /** One line for `baton --help`. */
  summary: string;
  load(): Promise<Command>;
}

/** The commands of one program, in the order `baton --help` lists them. */
export type Registry = readonly CommandEntry[];

export function findEntry(registry: Registry, name: string): CommandEntry | undefined {
  return registry.find((entry) => entry.name === name);
}
