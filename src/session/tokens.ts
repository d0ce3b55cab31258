/** A word of a line and its 1-based column. */
export interface Word {
  text: string;
  col: number;
}

/** Split text into whitespace-separated words, columns counted from `startCol`. */
export function words(text: string, startCol = 1): Word[] {
  const found: Word[] = [];
  let start = -1;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 32;
    const blank = code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
    if (!blank && start < 0) start = index;
    else if (blank && start >= 0) {
      found.push({ text: text.slice(start, index), col: startCol + start });
      start = -1;
    }
  }
  return found;
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
