/**
 * Python `re` patterns: the examples by name (the generated conformance family has the rest), and
 * a refused pattern reported at the offending character of the file.
 */
import test from 'ava';
import { PythonRegexError, compilePythonRegex } from '../../src/mux/pyregex.ts';
import { prepare } from './support.ts';

const matches = (pattern: string, subject: string) => compilePythonRegex(pattern, 'search').test(subject);

test('valid Python patterns JS lacks are accepted with their meaning', (t) => {
  t.true(matches('^(?i:A)b$', 'ab'));
  t.false(matches('^(?i:A)b$', 'aB'));
  t.true(matches('(?s:.)', '\n'));
  t.false(matches('^(?>a+)a', 'aaa'));
  t.false(matches('^a*+a', 'aaa'));
  t.true(matches('(?x) a  b # comment', 'ab'));
  t.true(matches('(?P<n>a)(?P=n)', 'aa'));
  t.true(matches('^x{,2}$', 'xx'));
  t.false(matches('^x{,2}$', 'xxx'));
});

test('\\w, \\b and \\d are Unicode-aware as in Python 3, and (?a) makes them ASCII', (t) => {
  t.true(matches('^\\w+$', 'éa_١'));
  t.true(matches('\\bé\\b', ' é '));
  t.false(matches('(?a)^\\w$', 'é'));
  t.true(matches('^[^\\W\\d]+$', 'éa'));
  t.false(matches('^[^\\W\\d]+$', 'a1'));
  t.true(matches('(?i)^i$', 'İ'));
  t.true(matches('(?i)^i$', 'ı'));
});

test('what Python refuses is refused, with the offset Python gives', (t) => {
  for (const [pattern, offset] of [
    ['\\p{L}', 0],
    ['(a)\\2', 4],
    ['a{2,1}', 2],
  ] as const) {
    const error = t.throws(() => compilePythonRegex(pattern, 'match'), { instanceOf: PythonRegexError });
    t.is(error?.offset, offset, pattern);
    t.false(error?.inexpressible, pattern);
  }
});

test('a bad !remove_node pattern is reported at its character in the file', (t) => {
  const text = 'a:\n  !remove_node : x(y\n';
  const errors = prepare({ 'main.yaml': text }).errors;
  t.is(errors[0]?.code, 'MUX_BAD_TAG');
  t.is(errors[0]?.line, 2);
  t.is(errors[0]?.col, text.split('\n')[1].indexOf('x(y') + 2);
});
