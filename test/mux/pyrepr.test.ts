import test from 'ava';
import { floatRepr, pyRepr, pyStr, strRepr } from '../../src/mux/pyrepr.ts';
import { PyBytes, PyComplex, PyDict, PyFloat, PySet, PyTuple, setFromItems } from '../../src/mux/values.ts';

test('float repr is the shortest round trip, with Python exponent forms', (t) => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [0.5, '0.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e-7, '1.5e-07'],
    [6.02e23, '6.02e+23'],
    [1.5e300, '1.5e+300'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [123456789012345680000, '1.2345678901234568e+20'],
  ];
  for (const [value, repr] of cases) t.is(floatRepr(value), repr, String(value));
});

test('string repr picks quotes like Python and escapes what is not printable', (t) => {
  t.is(strRepr('plain'), "'plain'");
  t.is(strRepr("it's"), '"it\'s"');
  t.is(strRepr('say "hi"'), '\'say "hi"\'');
  t.is(strRepr(`both ' and "`), "'both \\' and \"'");
  t.is(strRepr('tab\there\nnew'), "'tab\\there\\nnew'");
  t.is(strRepr('back\\slash'), "'back\\\\slash'");
  t.is(strRepr('\x07\x7f'), "'\\x07\\x7f'");
  t.is(strRepr('šomething é 😀'), "'šomething é 😀'");
  t.is(strRepr('\u00a0\u200b\u2028'), "'\\xa0\\u200b\\u2028'");
});

test('containers use repr of their items; str of a string is the string', (t) => {
  t.is(pyStr(['a', 1, new PyFloat(1), null, true]), "['a', 1, 1.0, None, True]");
  t.is(pyStr('text'), 'text');
  t.is(pyStr(new PyTuple([1])), '(1,)');
  t.is(pyStr(new PyTuple([])), '()');
  t.is(pyStr(new PyTuple([1, 'x'])), "(1, 'x')");
  t.is(
    pyStr(
      new PyDict(
        [
          ['a', 1],
          [true, [2n ** 70n]],
        ],
        false,
      ),
    ),
    "{'a': 1, True: [1180591620717411303424]}",
  );
  t.is(pyStr(new PyDict([['a', 'b']], true)), "OrderedDict([('a', 'b')])");
  t.is(pyStr(new PyDict([], true)), 'OrderedDict()');
  t.is(pyStr(new PyBytes(new Uint8Array([104, 105, 39]))), 'b"hi\'"');
  t.is(pyStr(new PySet([])), 'set()');
  t.is(pyStr(setFromItems([3, 1, 2, 1])), '{1, 2, 3}');
});

test('complex numbers print like Python', (t) => {
  t.is(pyRepr(new PyComplex(0, 1)), '1j');
  t.is(pyRepr(new PyComplex(1, 2)), '(1+2j)');
  t.is(pyRepr(new PyComplex(1.5, -2)), '(1.5-2j)');
  t.is(pyRepr(new PyComplex(-0, 1)), '(-0+1j)');
});
