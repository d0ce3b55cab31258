/**
 * The generated conformance families (test/fixtures/mux-conformance/*.json): inputs from a seeded
 * generator with the results Avocado's stack (PyYAML with libyaml, Python 3.11's `re` and `ast`) gave for
 * them, recorded by the generators in bench/mux/gen/. Each family is checked without Python.
 */
import { compilePythonRegex, PythonRegexError } from '../../src/mux/pyregex.ts';

export interface RegexCase {
  pattern: string;
  error?: true;
  results?: [string, [number, number] | null, [number, number] | null][];
}

// A JS match's span in code points, as Python reports it.
function span(subject: string, match: RegExpExecArray | null): [number, number] | null {
  if (!match) return null;
  const start = [...subject.slice(0, match.index)].length;
  return [start, start + [...match[0]].length];
}

/**
 * The differences between Baton's translation of one pattern and Python's recorded results; 'inexpressible'
 * when Python accepts a pattern that Baton refuses as one a JS RegExp cannot mean.
 */
export function regexMismatches(entry: RegexCase): string[] | 'inexpressible' {
  let search: RegExp;
  let match: RegExp;
  try {
    search = compilePythonRegex(entry.pattern, 'search');
    match = compilePythonRegex(entry.pattern, 'match');
  } catch (error) {
    if (!(error instanceof PythonRegexError)) throw error;
    if (entry.error) return [];
    return error.inexpressible ? 'inexpressible' : [`refused a pattern Python accepts: ${error.message}`];
  }
  if (entry.error) return ['accepted a pattern Python refuses'];
  const out: string[] = [];
  for (const [subject, wantSearch, wantMatch] of entry.results ?? []) {
    const gotSearch = span(subject, search.exec(subject));
    const gotMatch = span(subject, match.exec(subject));
    if (JSON.stringify(gotSearch) !== JSON.stringify(wantSearch)) {
      out.push(
        `search ${JSON.stringify(subject)}: ${JSON.stringify(gotSearch)} != ${JSON.stringify(wantSearch)}`,
      );
    }
    if (JSON.stringify(gotMatch) !== JSON.stringify(wantMatch)) {
      out.push(
        `match ${JSON.stringify(subject)}: ${JSON.stringify(gotMatch)} != ${JSON.stringify(wantMatch)}`,
      );
    }
  }
  return out;
}
