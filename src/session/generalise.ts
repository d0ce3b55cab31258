/** Volatile tokens and what they become in a proposed output expectation, applied in order. */
const VOLATILE: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '[0-9a-f-]{36}'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '\\S+'],
  [/(?:\/tmp|\/var\/tmp|\/run\/user\/\d+)\/\S+/g, '\\S+'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '[0-9a-f]+'],
  [/\d+/g, '\\d+'],
];

// A generalised token waits as one private-use character that no later rule matches.
const PLACEHOLDER = /[\ue000-\uf8ff]/g;

/**
 * An output line as a proposed pattern (R3): regex-escaped, with numbers, hex ids, UUIDs, ISO times, ports and
 * temporary paths generalised; `pid=4242 ready` gives `pid=\d+ ready`.
 */
export function generalise(line: string): string {
  const kept: string[] = [];
  let text = line;
  for (const [pattern, replacement] of VOLATILE)
    text = text.replace(pattern, () => String.fromCharCode(0xe000 + kept.push(replacement) - 1));
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return escaped.replace(PLACEHOLDER, (char) => kept[char.charCodeAt(0) - 0xe000] ?? '');
}

// The parts of a pattern that match more than one text (classes, sets, counts), and the literal volatile tokens.
const NOT_LITERAL = /\\[dDsSwWbB]|\[[^\]]*\]|\{\d+(,\d*)?\}/g;
const VOLATILE_LITERAL = /\d{3,}|[0-9a-f]{8,}/i;

/** Whether an `expect` pattern holds a literal volatile token (`--check` warns about them). */
export function hasVolatileLiteral(pattern: string): boolean {
  return VOLATILE_LITERAL.test(pattern.replace(NOT_LITERAL, ''));
}
