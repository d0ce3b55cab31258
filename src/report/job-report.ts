import type { RunStatus } from '../journal/events.ts';
import type { ResultsFolder } from './results-folder.ts';
import { junitXml } from './junit.ts';

export interface VariantResult {
  scenario: string;
  variant: string;
  status: RunStatus;
  exitCode: number;
  durationMs: number;
  error?: { code: string; message: string };
}

export interface JobSummary {
  jobId: string;
  resultsDir: string;
  status: RunStatus;
  exitCode: number;
  durationMs: number;
  variants: VariantResult[];
}

/** results.json and junit.xml of a finished job. */
export function writeJobReports(results: ResultsFolder, summary: JobSummary): void {
  results.writeFile('results.json', JSON.stringify(summary, null, 2) + '\n');
  results.writeFile('junit.xml', junitXml(summary));
}

/** The plain summary line CI reads: `N passed, N failed` (errors count as failed). */
export function summaryLine(summary: JobSummary): string {
  const passed = summary.variants.filter((variant) => variant.status === 'passed').length;
  return `${passed} passed, ${summary.variants.length - passed} failed`;
}
