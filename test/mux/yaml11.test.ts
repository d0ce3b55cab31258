import test from 'ava';
import { ScalarError, TAGS, constructScalar, resolvePlainTag } from '../../src/mux/yaml11.ts';
import { pyRepr, pyStr } from '../../src/mux/pyrepr.ts';

/** The Python repr of a plain scalar as PyYAML's SafeLoader types it. */
function typed(text: string): string {
  return pyRepr(constructScalar(resolvePlainTag(text), text));
}

test('booleans are YAML 1.1 words, but y and n stay strings', (t) => {
  for (const word of ['yes', 'Yes', 'YES', 'on', 'On', 'true', 'TRUE']) t.is(typed(word), 'True', word);
  for (const word of ['no', 'NO', 'off', 'Off', 'false', 'False']) t.is(typed(word), 'False', word);
  for (const word of ['y', 'n', 'Y', 'N', 'yES', 'oN']) t.is(typed(word), `'${word}'`, word);
});

test('nulls: empty, ~ and the null words', (t) => {
  for (const word of ['', '~', 'null', 'Null', 'NULL']) t.is(typed(word), 'None', JSON.stringify(word));
  t.is(typed('nULL'), "'nULL'");
});

test('ints: octal 0755, hex, binary, sexagesimal, underscores, big ints', (t) => {
  t.is(typed('0755'), '493');
  t.is(typed('0x1F'), '31');
  t.is(typed('0b101'), '5');
  t.is(typed('1:30:00'), '5400');
  t.is(typed('-1:20'), '-80');
  t.is(typed('1_000'), '1000');
  t.is(typed('+12'), '12');
  t.is(typed('-0'), '0');
  t.is(typed('12345678901234567890123'), '12345678901234567890123');
  t.is(typed('08'), "'08'");
  t.is(typed('0o10'), "'0o10'");
});

test('floats need a dot; exponents need a sign; .inf and .nan', (t) => {
  t.is(typed('1e3'), "'1e3'");
  t.is(typed('1.0e3'), "'1.0e3'");
  t.is(typed('1.0e+3'), '1000.0');
  t.is(typed('1.'), '1.0');
  t.is(typed('.5'), '0.5');
  t.is(typed('-.inf'), '-inf');
  t.is(typed('.NaN'), 'nan');
  t.is(typed('1:30.5'), '90.5');
  t.is(typed('-0.0'), '-0.0');
  t.is(typed('1e16'), "'1e16'");
  t.is(typed('100000000000000000.0'), '1e+17');
});

test('timestamps: dates, naive and aware datetimes', (t) => {
  t.is(typed('2024-02-29'), 'datetime.date(2024, 2, 29)');
  t.is(pyStr(constructScalar(TAGS.timestamp, '2024-02-29')), '2024-02-29');
  const aware = constructScalar(resolvePlainTag('2024-02-29 12:30:00+02:00'), '2024-02-29 12:30:00+02:00');
  t.is(pyStr(aware), '2024-02-29 12:30:00+02:00');
  t.is(
    pyRepr(aware),
    'datetime.datetime(2024, 2, 29, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))',
  );
  const utc = constructScalar(TAGS.timestamp, '2001-12-15T02:59:43.1Z');
  t.is(pyStr(utc), '2001-12-15 02:59:43.100000+00:00');
  t.is(pyRepr(utc), 'datetime.datetime(2001, 12, 15, 2, 59, 43, 100000, tzinfo=datetime.timezone.utc)');
  const negative = constructScalar(TAGS.timestamp, '2001-12-14t21:59:43.10-05:00');
  t.is(
    pyRepr(negative),
    'datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))',
  );
  t.is(typed('2024-2-29'), "'2024-2-29'");
});

test('a date that does not exist is an error, as in the reference', (t) => {
  const error = t.throws(() => constructScalar(TAGS.timestamp, '2023-02-29'), { instanceOf: ScalarError });
  t.is(error?.category, 'other');
});

test('binary decodes base64, skipping whitespace; bad padding is an error', (t) => {
  t.is(pyRepr(constructScalar(TAGS.binary, 'aGVs\nbG8=')), "b'hello'");
  t.is(pyRepr(constructScalar(TAGS.binary, 'AAEC/w==')), "b'\\x00\\x01\\x02\\xff'");
  t.throws(() => constructScalar(TAGS.binary, 'aGVsbG8'), { instanceOf: ScalarError });
});

test('other plain scalars stay strings, and = and << are not values', (t) => {
  t.is(resolvePlainTag('plain text'), TAGS.str);
  t.is(resolvePlainTag('='), TAGS.value);
  t.is(resolvePlainTag('<<'), TAGS.merge);
  t.throws(() => constructScalar(TAGS.value, '='), { instanceOf: ScalarError });
});
