/**
 * The generated conformance families (test/fixtures/mux-conformance/*.json): inputs from a seeded
 * generator with the results Avocado's stack (PyYAML with libyaml, Python 3.11's `re` and `ast`) gave for
 * them, recorded by the generators in bench/mux/gen/. Each family is checked without Python.
 */
import { encodeValue } from '../../src/mux/emit-json.ts';
import { parseYaml } from '../../src/mux/parse.ts';
import { prepareVariants } from '../../src/mux/pipeline.ts';
import { memoryReader } from '../../src/mux/readers.ts';
import type { YamlSyntax } from '../../src/mux/parse.ts';
import { compilePythonRegex, PythonRegexError } from '../../src/mux/pyregex.ts';
import { TAGS, resolvePlainTag } from '../../src/mux/yaml11.ts';

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

type Composed = ['s', string, string] | ['q', string, Composed[]] | ['m', string, [Composed, Composed][]];

export interface YamlSyntaxCase {
  text: string;
  error?: 'reader' | 'syntax';
  line?: number;
  col?: number;
  tree?: Composed | null;
}

// A syntax node as PyYAML composes it: aliases followed, implicit tags resolved.
function composed(node: YamlSyntax): Composed | undefined {
  if (node.kind === 'alias') return node.target ? composed(node.target) : undefined;
  if (node.kind === 'scalar') {
    return ['s', node.tag ?? (node.plain ? resolvePlainTag(node.text) : TAGS.str), node.text];
  }
  if (node.kind === 'seq') {
    const items = node.items.map(composed);
    return items.includes(undefined) ? undefined : ['q', node.tag ?? TAGS.seq, items as Composed[]];
  }
  const pairs = node.pairs.map(({ key, value }) => [composed(key), composed(value)]);
  if (pairs.some(([key, value]) => !key || !value)) return undefined;
  return ['m', node.tag ?? TAGS.map, pairs as [Composed, Composed][]];
}

/** The differences between Baton's reading of a YAML text and libyaml's recorded one. */
export function yamlSyntaxMismatches(entry: YamlSyntaxCase): string[] {
  const parsed = parseYaml(entry.text);
  const problem = parsed.problems[0];
  if (entry.error) {
    if (!problem) return [`accepted a text libyaml refuses (${entry.error})`];
    if (entry.line !== undefined && (problem.pos.line !== entry.line || problem.pos.col !== entry.col)) {
      return [`error at ${problem.pos.line}:${problem.pos.col}, libyaml at ${entry.line}:${entry.col}`];
    }
    return [];
  }
  if (problem)
    return [`refused a text libyaml reads: ${problem.message} at ${problem.pos.line}:${problem.pos.col}`];
  const want = entry.tree === null ? null : JSON.stringify(entry.tree);
  const got = parsed.root === null ? null : JSON.stringify(composed(parsed.root));
  const emptyDocument = JSON.stringify(['s', TAGS.null, '']);
  if (want === got || (got === null && want === emptyDocument)) return [];
  return [`tree ${got} != ${want}`];
}

export interface YamlValueCase {
  text: string;
  error?: true;
  value?: unknown;
}

/** The differences between the value Baton gives `k` in `/run` and the one the reference's loader built. */
export function yamlValueMismatches(entry: YamlValueCase): string[] {
  const prepared = prepareVariants({
    files: ['main.yaml'],
    reader: memoryReader({ 'main.yaml': entry.text }),
  });
  if (prepared.errors.length > 0) {
    const codes = prepared.errors.map((error) => `${error.code} ${error.message}`).join('; ');
    return entry.error ? [] : [`refused a value the reference loads: ${codes}`];
  }
  if (entry.error) return ['accepted a value the reference refuses'];
  const run = prepared.tree?.children.find((child) => child.name === 'run');
  if (!run?.values.has('k')) return ['no value k in /run'];
  const got = JSON.stringify(encodeValue(run.values.get('k')!));
  const want = JSON.stringify(entry.value);
  return got === want ? [] : [`value ${got} != ${want}`];
}

export interface InjectCase {
  inject: string;
  value: unknown;
}

/** The differences between the value an `--inject` gives `/run`'s `k` and the reference's literal_eval. */
export function injectMismatches(entry: InjectCase): string[] {
  const prepared = prepareVariants({ files: [], reader: memoryReader({}), inject: [entry.inject] });
  if (prepared.errors.length > 0)
    return [`refused: ${prepared.errors.map((error) => error.code).join(', ')}`];
  const run = prepared.tree?.children.find((child) => child.name === 'run');
  const value = run?.values.get('k');
  const got = JSON.stringify(value === undefined ? undefined : encodeValue(value));
  const want = JSON.stringify(entry.value);
  return got === want ? [] : [`value ${got} != ${want}`];
}
