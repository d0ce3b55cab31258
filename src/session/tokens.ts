/** A word of a line and its 1-based column. */
export interface Word {
  text: string;
  col: number;
}

/**
 * Split text into whitespace-separated words, from index `from` on, columns counted from `startCol` for index 0;
 * at most `limit` of them.
 */
export function words(text: string, startCol = 1, limit = Infinity, from = 0): Word[] {
  const found: Word[] = [];
  scanWords(text, startCol, limit, from, (piece, col) => void found.push({ text: piece, col }));
  return found;
}

/**
 * Words as `words` finds them, read again and again into one array and the same Word objects: what a parser
 * reads once per line and keeps none of (a script of 10,000 lines made 3 MB of them). What `read` returned is
 * valid until the next `read`; a word kept longer is copied.
 */
export class WordReader {
  private readonly found: Word[] = [];
  private readonly spare: Word[] = [];
  private filled = 0;

  read(text: string, startCol = 1, limit = Infinity, from = 0): Word[] {
    this.filled = 0;
    scanWords(text, startCol, limit, from, this.take);
    // Setting the length is a call into the runtime: only when the count of words changes.
    if (this.found.length !== this.filled) this.found.length = this.filled;
    return this.found;
  }

  private readonly take = (piece: string, col: number): void => {
    let word = this.spare[this.filled];
    if (word === undefined) this.spare.push((word = { text: piece, col }));
    word.text = piece;
    word.col = col;
    if (this.filled < this.found.length) this.found[this.filled] = word;
    else this.found.push(word);
    this.filled++;
  };
}

// Calls `found` with each word and its column, at most `limit` times.
function scanWords(
  text: string,
  startCol: number,
  limit: number,
  from: number,
  found: (piece: string, col: number) => void,
): void {
  let start = -1;
  let count = 0;
  for (let index = from; index <= text.length && count < limit; index++) {
    const blank = index === text.length || isBlank(text.charCodeAt(index));
    if (!blank && start < 0) start = index;
    else if (blank && start >= 0) {
      found(text.slice(start, index), startCol + start);
      count++;
      start = -1;
    }
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
