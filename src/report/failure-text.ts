import type { FailureReport } from '../journal/events.ts';

/** A failure report as lines: the root cause, its tail indented, then each consequence. */
export function formatFailure(report: FailureReport): string[] {
  const lines = [`${report.code}: ${report.message}`];
  for (const line of report.tail ?? []) lines.push(`    | ${line}`);
  for (const consequence of report.consequences ?? [])
    lines.push(`  then ${consequence.code}: ${consequence.message}`);
  return lines;
}
