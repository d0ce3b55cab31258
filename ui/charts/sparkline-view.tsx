import { Text } from 'ink';
import { sparkline } from './sparkline.ts';

export interface SparklineProps {
  values: readonly number[];
  width: number;
  /** Printed before the line, in the width. */
  label?: string;
}

/** A one-row sparkline of the last values that fit. */
export function Sparkline({ values, width, label }: SparklineProps) {
  const prefix = label === undefined ? '' : `${label} `;
  return <Text wrap="truncate-end">{prefix + sparkline(values, Math.max(0, width - prefix.length))}</Text>;
}
