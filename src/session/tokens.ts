/** A word of a line and its 1-based column. */
export interface Word {
  text: string;
  col: number;
}

/**
 * Whitespace-separated words of a text, read again and again into one array and the same Word objects: what a
 * parser reads once per line and keeps none of (a script of 10,000 lines made 3 MB of them). What `read`
 * returned is valid until the next `read`; a word kept longer is copied.
 */
export class WordReader {
  private readonly found: Word[] = [];
  private readonly spare: Word[] = [];

  /** The words from index `from` on, columns counted from `startCol` for index 0; at most `limit` of them. */
  read(text: string, startCol = 1, limit = Infinity, from = 0): Word[] {
    let filled = 0;
    let start = -1;
    for (let index = from; index <= text.length && filled < limit; index++) {
      const blank = index === text.length || isBlank(text.charCodeAt(index));
      if (!blank && start < 0) start = index;
      else if (blank && start >= 0) {
        this.place(filled++, text.slice(start, index), startCol + start);
        start = -1;
      }
    }
    // Setting the length is a call into the runtime: only when the count of words changes.
    if (this.found.length !== filled) this.found.length = filled;
    return this.found;
  }

  private place(at: number, text: string, col: number): void {
    let word = this.spare[at];
    if (word === undefined) this.spare.push((word = { text, col }));
    word.text = text;
    word.col = col;
    if (at < this.found.length) this.found[at] = word;
    else this.found.push(word);
  }
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

/** `DUR`: a number with `ms`, `s` or `m`, in ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Math.round(value * (match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000));
}

/** A duration in the script's own form, the largest whole unit. */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 && ms > 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The names a TARGET names: a stream, `@GROUP`, or `{s1,s2}`. */
export function targetNames(target: string): { groups: string[]; streams: string[] } {
  if (target.startsWith('@')) return { groups: [target.slice(1)], streams: [] };
  if (target.startsWith('{') && target.endsWith('}'))
    return {
      groups: [],
      streams: target
        .slice(1, -1)
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    };
  return { groups: [], streams: [target] };
}

/** Names of streams, groups, marks and barriers: no spaces, no `:`, and not the reserved words. */
export const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
