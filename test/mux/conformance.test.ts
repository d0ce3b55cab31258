/**
 * The multiplexer conformance corpus: every case folder is run through the code of `baton variants --json`
 * and compared field by field with the reference's result (`expected_fixed.json` where the reference has a
 * bug the spec fixes). The corpus lives beside the clone (`../shared/conformance/mux`); BATON_MUX_CORPUS
 * points elsewhere. Without a corpus the suite skips, except under CI=true where it fails.
 *
 * The generated families (test/fixtures/mux-conformance/, see conformance-families.ts) are in the repository
 * and always run.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorJson, variantsJsonChunks } from '../../src/mux/emit-json.ts';
import { prepareVariants } from '../../src/mux/pipeline.ts';
import { fileReader } from '../../src/mux/readers.ts';
import {
  injectMismatches,
  regexMismatches,
  yamlSyntaxMismatches,
  yamlValueMismatches,
} from './conformance-families.ts';
import type { InjectCase, RegexCase, YamlSyntaxCase, YamlValueCase } from './conformance-families.ts';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = process.env.BATON_MUX_CORPUS ?? resolve(repositoryRoot, '../shared/conformance/mux');

interface CaseArgs {
  files: string[];
  filter_only?: string[];
  filter_out?: string[];
  inject?: string[];
  parameter_paths?: string[];
  queries?: { key: string; path: string | null }[];
  detail?: 'full' | 'ids';
  tags?: string[];
}

type Json = Record<string, unknown>;

/** What `baton variants --json` prints for the case, parsed. */
function run(directory: string, args: CaseArgs): Json {
  const prepared = prepareVariants({
    files: args.files,
    reader: fileReader(directory),
    inject: args.inject ?? [],
    filterOnly: args.filter_only ?? [],
    filterOut: args.filter_out ?? [],
  });
  if (prepared.errors.length > 0) return errorJson(prepared.errors);
  if (!prepared.tree || !prepared.plan) return { tree: null, count: 0, variants: [] };
  const chunks = variantsJsonChunks(prepared.tree, prepared.plan, {
    detail: args.detail ?? 'full',
    muxPaths: args.parameter_paths ?? ['/run/*'],
    queries: args.queries,
  });
  return JSON.parse([...chunks].join('')) as Json;
}

function compare(t: ExecutionContext, expected: Json, actual: Json, args: CaseArgs): void {
  if ('error' in expected) {
    const want = expected.error as Json;
    t.truthy(actual.error, `expected an error of category ${String(want.category)}`);
    t.is((actual.error as Json | undefined)?.category, want.category, 'error category');
    return;
  }
  t.falsy(actual.error, `unexpected error: ${JSON.stringify(actual.error)}`);
  t.deepEqual(actual.tree, expected.tree, 'tree');
  t.is(actual.count, expected.count, 'count');
  const wanted = expected.variants as Json[];
  const got = actual.variants as Json[];
  t.is(got.length, wanted.length, 'number of variants');
  wanted.forEach((want, index) => {
    const have = got[index] ?? {};
    const where = `variant ${index} (${String(want.id)})`;
    if (want.id_deterministic === false) {
      t.is(String(have.id).slice(0, -4), String(want.id).slice(0, -4), `${where}: id name`);
    } else {
      t.is(have.id, want.id, `${where}: id`);
    }
    t.deepEqual(have.leaves, want.leaves, `${where}: leaves`);
    if (args.detail === 'ids') return;
    if (want.fingerprint !== undefined && want.id_deterministic !== false) {
      t.is(have.fingerprint, want.fingerprint, `${where}: fingerprint`);
    }
    t.deepEqual(have.environment, want.environment, `${where}: environment`);
    t.deepEqual(have.params, want.params, `${where}: params`);
    if (want.queries !== undefined) t.deepEqual(have.queries, want.queries, `${where}: queries`);
  });
}

const cases = existsSync(corpus)
  ? readdirSync(corpus)
      .filter((name) => statSync(join(corpus, name)).isDirectory())
      .sort()
  : [];

if (cases.length === 0) {
  if (process.env.CI === 'true') {
    test('conformance corpus is present', (t) => {
      t.fail(`no conformance corpus at ${corpus} (set BATON_MUX_CORPUS)`);
    });
  } else {
    test.skip(`conformance corpus (none at ${corpus}; set BATON_MUX_CORPUS)`, (t) => t.pass());
  }
}

for (const name of cases) {
  test(`conformance: ${name}`, (t) => {
    const directory = join(corpus, name);
    const args = JSON.parse(readFileSync(join(directory, 'args.json'), 'utf8')) as CaseArgs;
    const fixed = join(directory, 'expected_fixed.json');
    const expectedFile = existsSync(fixed) ? fixed : join(directory, 'expected.json');
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Json;
    compare(t, expected, run(directory, args), args);
  });
}

const families = resolve(repositoryRoot, 'test/fixtures/mux-conformance');

function fixture<T>(name: string): T[] {
  return (JSON.parse(readFileSync(join(families, name), 'utf8')) as { cases: T[] }).cases;
}

test('conformance family: Python regular expressions (generated, recorded from Python 3.11)', (t) => {
  const cases = fixture<RegexCase>('regex.json');
  const inexpressible: string[] = [];
  for (const entry of cases) {
    const mismatches = regexMismatches(entry);
    if (mismatches === 'inexpressible') inexpressible.push(entry.pattern);
    else t.deepEqual(mismatches, [], `pattern ${JSON.stringify(entry.pattern)}`);
  }
  if (inexpressible.length > 0)
    t.log(`refused as inexpressible in JS: ${inexpressible.length} of ${cases.length}`);
  t.true(inexpressible.length <= cases.length / 10, 'at most one pattern in ten is inexpressible');
});

test('conformance family: YAML as libyaml reads it (generated, recorded from PyYAML with libyaml)', (t) => {
  for (const entry of fixture<YamlSyntaxCase>('yaml-syntax.json')) {
    t.deepEqual(yamlSyntaxMismatches(entry), [], `text ${JSON.stringify(entry.text)}`);
  }
});

test('conformance family: values of a leaf as the reference loads them (generated, recorded from PyYAML)', (t) => {
  for (const entry of fixture<YamlValueCase>('yaml-values.json')) {
    t.deepEqual(yamlValueMismatches(entry), [], `text ${JSON.stringify(entry.text)}`);
  }
});

test('conformance family: --inject values as ast.literal_eval reads them (generated, recorded from Python)', (t) => {
  for (const entry of fixture<InjectCase>('inject.json')) {
    t.deepEqual(injectMismatches(entry), [], entry.inject);
  }
});
