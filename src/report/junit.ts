import { formatFailure } from './failure-text.ts';
import type { JobSummary, VariantResult } from './job-report.ts';

const escapeXml = (text: string) =>
  text
    // Characters XML 1.0 cannot hold at all (terminal control codes in a task's output).
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(
      /[<>&"']/g,
      (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? char,
    );

/** The output of a variant's failed task, for its system-out and system-err. */
export interface TaskOutput {
  stdout?: string;
  stderr?: string;
}

/**
 * JUnit XML: one suite per scenario (with the job's timestamp and hostname), one test case per variant with its
 * params as properties; a failure or error carries the failed task's output as system-out/system-err (`output`),
 * else the tail of its report.
 */
export function junitXml(summary: JobSummary, output?: (variant: VariantResult) => TaskOutput): string {
  const suites = new Map<string, JobSummary['variants']>();
  for (const variant of summary.variants)
    suites.set(variant.scenario, [...(suites.get(variant.scenario) ?? []), variant]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="baton ${escapeXml(summary.jobId)}">`,
  ];
  const stamp = [
    summary.startedAt ? ` timestamp="${escapeXml(summary.startedAt.replace(/\.\d+Z$/, ''))}"` : '',
    summary.hostname ? ` hostname="${escapeXml(summary.hostname)}"` : '',
  ].join('');
  for (const [scenario, variants] of suites) {
    const failures = variants.filter((variant) => variant.status === 'failed').length;
    const errors = variants.filter(
      (variant) => variant.status === 'error' || variant.status === 'interrupted',
    ).length;
    const skipped = variants.filter((variant) => variant.status === 'not-run').length;
    const seconds = variants.reduce((sum, variant) => sum + variant.durationMs, 0) / 1000;
    lines.push(
      `  <testsuite name="${escapeXml(scenario)}" tests="${variants.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}"${stamp}>`,
    );
    for (const variant of variants) lines.push(...testCase(scenario, variant, output));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testCase(
  scenario: string,
  variant: VariantResult,
  output: ((variant: VariantResult) => TaskOutput) | undefined,
): string[] {
  const open = `    <testcase classname="${escapeXml(scenario)}" name="${escapeXml(variant.variant)}" time="${variant.durationMs / 1000}"`;
  const body = properties(variant.params);
  if (variant.status === 'not-run') {
    const why = variant.error ? `not run: ${variant.error.message}` : 'not run: the job ended before it';
    body.push(`      <skipped message="${escapeXml(why)}"/>`);
  } else if (variant.error) {
    const tag = variant.status === 'failed' ? 'failure' : 'error';
    const detail = formatFailure(variant.error).join('\n');
    const message = escapeXml(variant.error.message.split('\n')[0] ?? '');
    body.push(
      `      <${tag} type="${escapeXml(variant.error.code)}" message="${message}">${escapeXml(detail)}</${tag}>`,
    );
    const task = output?.(variant) ?? { stderr: (variant.error.tail ?? []).join('\n') };
    if (task.stdout) body.push(`      <system-out>${escapeXml(task.stdout)}</system-out>`);
    if (task.stderr) body.push(`      <system-err>${escapeXml(task.stderr)}</system-err>`);
  }
  if (body.length === 0) return [`${open}/>`];
  return [`${open}>`, ...body, '    </testcase>'];
}

function properties(params: Record<string, unknown> | undefined): string[] {
  const entries = Object.entries(params ?? {});
  if (entries.length === 0) return [];
  return [
    '      <properties>',
    ...entries.map(
      ([name, value]) =>
        `        <property name="${escapeXml(name)}" value="${escapeXml(typeof value === 'string' ? value : JSON.stringify(value))}"/>`,
    ),
    '      </properties>',
  ];
}
