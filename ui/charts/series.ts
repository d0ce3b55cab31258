/** How to find a number in a line of output. */
export interface SeriesPattern {
  /** The number is the group `value` or the first group, else the whole match; the group `unit`, else the second, picks a factor of `scale`. */
  pattern: RegExp;
  /** Lines that match this are left out (summaries that repeat the figures). */
  exclude?: RegExp;
  /** Factors by unit, applied to the number: a unit missing from it leaves the line out. */
  scale?: Readonly<Record<string, number>>;
}

/** iperf3's interval lines (`[  5]   0.00-1.00   sec   112 MBytes   941 Mbits/sec`), in Mbit/s; its sender and receiver summaries are left out. */
export const IPERF3_MBITS: SeriesPattern = {
  pattern: /(\d+(?:\.\d+)?)\s+([KMG]?)bits\/sec/,
  exclude: /\b(?:sender|receiver)\s*$/,
  scale: { '': 1e-6, K: 1e-3, M: 1, G: 1e3 },
};

/** The numbers a stream printed, one per matching line, in order. */
export function extractSeries(output: string | readonly string[], spec: RegExp | SeriesPattern): number[] {
  const { pattern, exclude, scale } = spec instanceof RegExp ? { pattern: spec } : spec;
  // A global or sticky pattern would carry `lastIndex` from one line to the next.
  const once = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const lines = typeof output === 'string' ? output.split(/\r?\n/) : output;
  const series: number[] = [];
  for (const line of lines) {
    if (exclude?.test(line)) continue;
    const match = once.exec(line);
    if (!match) continue;
    const value = Number(match.groups?.value ?? match[1] ?? match[0]);
    const factor = scale === undefined ? 1 : scale[match.groups?.unit ?? match[2] ?? ''];
    // toPrecision: 1.1 Gbit/s is 1100 Mbit/s, not 1100.0000000000002.
    if (Number.isFinite(value) && factor !== undefined) series.push(Number((value * factor).toPrecision(12)));
  }
  return series;
}
