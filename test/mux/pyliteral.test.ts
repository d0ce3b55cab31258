import test from 'ava';
import { literalEval } from '../../src/mux/pyliteral.ts';
import { pyRepr } from '../../src/mux/pyrepr.ts';

/** repr of ast.literal_eval(text), or `str:` and the text when the reference falls back to the string. */
function evaluate(text: string): string {
  const result = literalEval(text);
  return result.ok ? pyRepr(result.value) : result.unhashable ? 'unhashable' : 'str:' + text;
}

test('numbers, booleans, None', (t) => {
  t.is(evaluate('1'), '1');
  t.is(evaluate('-1'), '-1');
  t.is(evaluate('0.5'), '0.5');
  t.is(evaluate('1e400'), 'inf');
  t.is(evaluate('0x1F'), '31');
  t.is(evaluate('1_000'), '1000');
  t.is(evaluate('True'), 'True');
  t.is(evaluate('None'), 'None');
  t.is(evaluate(' 7'), '7');
});

test('1,2 is a tuple; containers and strings', (t) => {
  t.is(evaluate('1,2'), '(1, 2)');
  t.is(evaluate('(1,)'), '(1,)');
  t.is(evaluate('(1)'), '1');
  t.is(evaluate('[1, [2, (3, 4)]]'), '[1, [2, (3, 4)]]');
  t.is(evaluate("{'a': 1, 'a': 2}"), "{'a': 2}");
  t.is(evaluate('{1, 2, 1}'), '{1, 2}');
  t.is(evaluate('set()'), 'set()');
  t.is(evaluate("'007'"), "'007'");
  t.is(evaluate("'a' 'b'"), "'ab'");
  t.is(evaluate('b"x\\x00"'), "b'x\\x00'");
  t.is(evaluate("r'\\n'"), "'\\\\n'");
  t.is(evaluate('1+2j'), '(1+2j)');
  t.is(evaluate('...'), 'Ellipsis');
});

test('what is not a literal stays the string', (t) => {
  for (const text of [
    '007',
    'inf',
    'http://x:80/y',
    '--1',
    '-True',
    'a',
    "f'x'",
    '1 +',
    '',
    'x.y',
    '[1, 2',
  ]) {
    t.is(evaluate(text), 'str:' + text, text);
  }
});

test('an unhashable dict key is reported, not turned into a string', (t) => {
  t.is(evaluate('{[1]: 2}'), 'unhashable');
});
