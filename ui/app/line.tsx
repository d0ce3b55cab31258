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

/** Text cut or padded to a width, for table columns. */
export function cell(text: string | number | undefined, width: number): string {
  const value = text === undefined ? '' : String(text);
  return value.length > width ? value.slice(0, Math.max(0, width - 1)) + '…' : value.padEnd(width);
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
