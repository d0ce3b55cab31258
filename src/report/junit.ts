import { formatFailure } from './failure-text.ts';
import type { JobSummary } from './job-report.ts';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? char,
  );

/** JUnit XML: one suite per scenario, one test case per variant. */
export function junitXml(summary: JobSummary): string {
  const suites = new Map<string, JobSummary['variants']>();
  for (const variant of summary.variants)
    suites.set(variant.scenario, [...(suites.get(variant.scenario) ?? []), variant]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="baton ${escapeXml(summary.jobId)}">`,
  ];
  for (const [scenario, variants] of suites) {
    const failures = variants.filter((variant) => variant.status === 'failed').length;
    const errors = variants.filter(
      (variant) => variant.status === 'error' || variant.status === 'interrupted',
    ).length;
    const skipped = variants.filter((variant) => variant.status === 'not-run').length;
    const seconds = variants.reduce((sum, variant) => sum + variant.durationMs, 0) / 1000;
    lines.push(
      `  <testsuite name="${escapeXml(scenario)}" tests="${variants.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}">`,
    );
    for (const variant of variants) {
      const open = `    <testcase classname="${escapeXml(scenario)}" name="${escapeXml(variant.variant)}" time="${variant.durationMs / 1000}"`;
      if (variant.status === 'not-run') {
        lines.push(
          `${open}>`,
          '      <skipped message="not run: the job ended before it"/>',
          '    </testcase>',
        );
        continue;
      }
      if (!variant.error) {
        lines.push(`${open}/>`);
        continue;
      }
      const tag = variant.status === 'failed' ? 'failure' : 'error';
      const detail = formatFailure(variant.error).join('\n');
      lines.push(
        `${open}>`,
        `      <${tag} type="${escapeXml(variant.error.code)}" message="${escapeXml(variant.error.message.split('\n')[0] ?? '')}">${escapeXml(detail)}</${tag}>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
