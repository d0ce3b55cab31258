/**
 * Python `re` patterns (filters, `!remove_node`/`!remove_value` arguments, `--mux-path` and params paths)
 * as JS RegExps with Python's syntax and meaning: parsed as Python 3.11 parses them (pyregex-parse.ts), so
 * what Python refuses is refused with its offset, then emitted with Python's character sets and flags
 * (pyregex-emit.ts). What JS cannot express (conditional groups) is refused too.
 */
import { emitPattern } from './pyregex-emit.ts';
import { PythonRegexError, parsePythonPattern } from './pyregex-parse.ts';

export { PythonRegexError };

/** `re.match` (anchored at the start) or `re.search` semantics. */
export function compilePythonRegex(source: string, mode: 'match' | 'search'): RegExp {
  const emitted = emitPattern(parsePythonPattern(source));
  const body = mode === 'match' ? `^(?:${emitted.source})` : emitted.source;
  try {
    return new RegExp(body, 'u' + emitted.flags);
  } catch (error) {
    throw new PythonRegexError(`cannot be expressed: ${(error as Error).message.slice(0, 200)}`, 0, true);
  }
}
