import type { VariantResult } from './job-report.ts';

// GitHub's workflow-command escaping: data, then property values (which also escape `:` and `,`).
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub Actions annotations (`::error file=...,line=...::message`) for the variants that did not pass. The
 * position is the one the failure names in the scenario (`file:line:col: ...`), else the scenario file itself.
 */
export function githubAnnotations(
  variants: readonly VariantResult[],
  scenarioFile: (scenario: string) => string | undefined,
): string[] {
  const lines: string[] = [];
  for (const variant of variants) {
    if (!variant.error || variant.status === 'not-run' || variant.status === 'passed') continue;
    const located = /^(.+?):(\d+):(\d+): /.exec(variant.error.message);
    const file = located?.[1] ?? scenarioFile(variant.scenario);
    const props = [
      ...(file ? [`file=${escapeProperty(file)}`] : []),
      ...(located ? [`line=${located[2]}`, `col=${located[3]}`] : []),
      `title=${escapeProperty(`${variant.scenario} ${variant.variant}: ${variant.error.code}`)}`,
    ];
    lines.push(`::error ${props.join(',')}::${escapeData(variant.error.message)}`);
  }
  return lines;
}
