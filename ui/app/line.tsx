// @jsxRuntime automatic
// @jsxImportSource react
import { Text } from 'ink';
import type { ReactNode } from 'react';

export interface LineProps {
  children?: ReactNode;
  color?: string;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
}

/** One row of a pane: never wraps (a wrapped row would push the panes below it off their place). */
export function Line({ children, color, bold, inverse, dim }: LineProps) {
  return (
    <Text
      wrap="truncate-end"
      {...(color ? { color } : {})}
      bold={bold === true}
      inverse={inverse === true}
      dimColor={dim === true}
    >
      {children === undefined || children === '' ? ' ' : children}
    </Text>
  );
}

/**
 * Text cut (marked `~`) or padded to a width, for table columns. The console's own text is ASCII: the first
 * non-ASCII text ink measures costs some 100 ms (string-width compiles its emoji pattern), on the first frame.
 */
export function cell(text: string | number | undefined, width: number): string {
  const value = text === undefined ? '' : String(text);
  return value.length > width ? value.slice(0, Math.max(0, width - 1)) + '~' : value.padEnd(width);
}

/**
 * A caret under column `col` and a message after it, within `width` columns: a message too long is cut (marked
 * `~`) before its trailing ` [CODE]`, so that the code stays on screen (ink would cut the line's end).
 */
export function caretLine(col: number, message: string, width: number): string {
  const text = `${' '.repeat(col)}^ ${message}`;
  if (text.length <= width) return text;
  const code = / \[[A-Z_]+\]$/.exec(message)?.[0] ?? '';
  return text.slice(0, Math.max(0, width - code.length - 1)) + '~' + code;
}

/** A rule across `width` columns with a title: exactly as wide, so that ink does not cut it (with an `…`). */
export function rule(title: string, width: number): string {
  return `-- ${title} `.padEnd(width, '-').slice(0, width);
}

/** The window of a list that keeps the selected row visible in `height` rows. */
export function windowOf<T>(
  items: readonly T[],
  selected: number,
  height: number,
): { start: number; rows: T[] } {
  const start = Math.max(0, Math.min(selected - Math.floor(height / 2), items.length - height));
  return { start, rows: items.slice(start, start + Math.max(0, height)) };
}
