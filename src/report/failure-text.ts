import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailureReport } from '../journal/events.ts';
import type { JobSummary, VariantResult } from './job-report.ts';
import type { TaskEntry } from './task-index.ts';
import { shortCommand } from '../stream/block.ts';

/** A failure report as lines: the root cause, its tail indented, then each consequence. */
export function formatFailure(report: FailureReport): string[] {
  const lines = [`${report.code}: ${report.message}`];
  for (const line of report.tail ?? []) lines.push(`    | ${line}`);
  for (const consequence of report.consequences ?? [])
    lines.push(`  then ${consequence.code}: ${consequence.message}`);
  return lines;
}

/** The last `count` lines of a file, without its final newline; none when it is missing or empty. */
export function lastLines(path: string, count: number): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const lines = text.replace(/\n$/, '').split('\n');
  return text === '' ? [] : lines.slice(-count);
}

export interface SummaryOptions {
  /** The task of a failure: its command and folder. */
  task: (id: string) => TaskEntry | undefined;
  /** Lines of each stream to show. @default 10 */
  lines?: number;
}

/**
 * The short summary after a run, as pytest prints it: one block per variant that did not pass, named after
 * the failed task's whole command, with its folder and the last lines of its stderr and stdout.
 */
export function failureSummary(summary: JobSummary, options: SummaryOptions): string[] {
  const failed = summary.variants.filter((variant) => variant.error && variant.status !== 'not-run');
  if (failed.length === 0) return [];
  const lines = [`=== short summary: ${failed.length} did not pass ===`];
  for (const variant of failed) lines.push(...variantBlock(variant, summary.resultsDir, options));
  return lines;
}

function variantBlock(variant: VariantResult, root: string, options: SummaryOptions): string[] {
  const error = variant.error!;
  const task = error.task === undefined ? undefined : options.task(error.task);
  const what = task?.command === undefined ? error.message : taskHeadline(error, task.command);
  const lines = [`--- ${variant.scenario} ${variant.variant}: ${what} [${error.code}]`];
  if (task?.dir === undefined) {
    for (const consequence of error.consequences ?? [])
      lines.push(`  then ${consequence.message} [${consequence.code}]`);
    return lines;
  }
  const dir = join(root, task.dir);
  lines.push(`  folder: ${dir}`);
  for (const name of ['stderr', 'stdout'] as const) {
    const tail = lastLines(join(dir, name), options.lines ?? 10);
    if (tail.length === 0) continue;
    lines.push(`  ${name} (last ${tail.length} line${tail.length === 1 ? '' : 's'}):`);
    for (const line of tail) lines.push(`    | ${line}`);
  }
  for (const consequence of error.consequences ?? [])
    lines.push(`  then ${consequence.message} [${consequence.code}]`);
  return lines;
}

function taskHeadline(error: FailureReport, command: string): string {
  const where = error.stream === undefined ? '' : ` on ${error.stream}`;
  const how =
    error.signal != null
      ? `killed by ${error.signal}`
      : error.exitCode != null
        ? `exited with ${error.exitCode}`
        : error.message;
  return `\`${shortCommand(command)}\`${where} ${how}`;
}
