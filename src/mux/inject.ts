/**
 * `--inject [PATH:]KEY:VALUE`, the reference's `--mux-inject`: the text is split at the first two colons,
 * the value typed by Python's `ast.literal_eval` (falling back to the string), and written into the node
 * at PATH (the root when there is no path), which is created when missing.
 */
import { Diagnostics } from './diagnostics.ts';
import { literalEval } from './pyliteral.ts';
import type { MuxNode } from './tree.ts';
import type { PyValue } from './values.ts';

export interface Injection {
  path: string;
  key: string;
  value: PyValue;
}

/** Python's `text.split(':', 2)`. */
function splitColons(text: string): string[] {
  const first = text.indexOf(':');
  if (first < 0) return [text];
  const second = text.indexOf(':', first + 1);
  if (second < 0) return [text.slice(0, first), text.slice(first + 1)];
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

/** Parse one `--inject` argument; problems go to `diagnostics`. */
export function parseInjection(text: string, diagnostics: Diagnostics): Injection | undefined {
  const parts = splitColons(text);
  if (parts.length < 2) {
    diagnostics.error('MUX_BAD_INJECT', 'inject_format', `--inject needs [PATH:]KEY:VALUE, got '${text}'`);
    return undefined;
  }
  const [path, key, raw] =
    parts.length === 2 ? ['', parts[0], parts[1]] : (parts as [string, string, string]);
  const literal = literalEval(raw);
  if (!literal.ok && literal.unhashable) {
    diagnostics.error('MUX_BAD_INJECT', 'other', `--inject '${text}': unhashable item in a dict key or set`);
    return undefined;
  }
  return { path, key, value: literal.ok ? literal.value : raw };
}

/** Apply `--inject` arguments in order; returns the problems. */
export function applyInjections(tree: MuxNode, texts: readonly string[]): Diagnostics {
  const diagnostics = new Diagnostics();
  for (const text of texts) {
    const injection = parseInjection(text, diagnostics);
    if (injection) tree.nodeAt(injection.path, true)!.values.set(injection.key, injection.value);
  }
  return diagnostics;
}
