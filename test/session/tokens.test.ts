import test from 'ava';
import { WordReader } from '../../src/session/tokens.ts';

// One reader for every line, as the parser reads them; copies, since a read is valid until the next one.
const reader = new WordReader();
const words = (...args: Parameters<WordReader['read']>) => reader.read(...args).map((word) => ({ ...word }));

test('words splits on any blank, with 1-based columns, from an index and up to a limit', (t) => {
  const line = 'fg  @g:\techo "a b"  $HOME ';
  t.deepEqual(words(line), [
    { text: 'fg', col: 1 },
    { text: '@g:', col: 5 },
    { text: 'echo', col: 9 },
    { text: '"a', col: 14 },
    { text: 'b"', col: 17 },
    { text: '$HOME', col: 21 },
  ]);
  t.deepEqual(words(line, 1, 1, 2), [{ text: '@g:', col: 5 }]);
  t.deepEqual(words(line, 1, Infinity, 20), [{ text: '$HOME', col: 21 }]);
  t.deepEqual(words('x y', 10), [
    { text: 'x', col: 10 },
    { text: 'y', col: 12 },
  ]);
  t.deepEqual(words('   '), []);
  t.deepEqual(words('a b', 1, 0), []);
});

test('words up to one is the keyword alone, or nothing on a blank line', (t) => {
  t.deepEqual(words('  expect a exit 0', 1, 1), [{ text: 'expect', col: 3 }]);
  t.deepEqual(words('end', 1, 1), [{ text: 'end', col: 1 }]);
  t.deepEqual(words(' \t ', 1, 1), []);
});
