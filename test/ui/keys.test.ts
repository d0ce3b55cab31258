import test from 'ava';
import { KeySplitter } from '../../ui/input/keys.ts';

const names = (chunk: string[] | string) => {
  const splitter = new KeySplitter();
  return (Array.isArray(chunk) ? chunk : [chunk]).flatMap((part) =>
    splitter.split(part).map((key) => (key.name === 'char' ? key.text : key.name)),
  );
};

test('a burst of keys in one chunk gives one key each', (t) => {
  t.deepEqual(names('\tj\t'), ['tab', 'j', 'tab']);
  t.deepEqual(names(':op\x7fen a\r'), [':', 'o', 'p', 'backspace', 'e', 'n', ' ', 'a', 'return']);
  t.deepEqual(names('\x03\x1d\x01'), ['ctrl-c', 'ctrl-]', 'ctrl-a']);
});

test('escape sequences stay whole, also several in one chunk', (t) => {
  t.deepEqual(names('\x1b[A\x1b[B\x1bOC\x1b[5~\x1b[Z'), ['up', 'down', 'right', 'pageup', 'shift-tab']);
  t.deepEqual(names('\x1b'), ['escape']);
  t.deepEqual(names('\x1bx'), ['alt-x']);
});

test('a bracketed paste is one key, also across chunks, with the keys around it split', (t) => {
  const splitter = new KeySplitter();
  const first = splitter.split('a\x1b[200~echo one\r');
  const second = splitter.split('echo two\x1b[201~\r');
  t.deepEqual(
    [...first, ...second].map((key) => [key.name, key.text]),
    [
      ['char', 'a'],
      ['paste', 'echo one\recho two'],
      ['return', undefined],
    ],
  );
});

test('a key keeps its raw bytes (what attach forwards)', (t) => {
  const keys = new KeySplitter().split('x\x1b[A\x03é');
  t.deepEqual(
    keys.map((key) => key.raw),
    ['x', '\x1b[A', '\x03', 'é'],
  );
});
