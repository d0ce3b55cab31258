import test from 'ava';
import { OutputTail } from '../../src/stream/tail.ts';

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

test('keeps the last 20 lines, whether fed at once or line by line', (t) => {
  const whole = new OutputTail();
  whole.push(numbered(1, 100).join('\n') + '\n');
  t.deepEqual(whole.lines(), numbered(81, 100));
  const piecemeal = new OutputTail();
  for (const line of numbered(1, 100)) piecemeal.push(`${line}\n`);
  t.deepEqual(piecemeal.lines(), numbered(81, 100));
  t.is(piecemeal.text(), numbered(81, 100).join('\n'));
});

test('lines split across pushes join again', (t) => {
  const tail = new OutputTail({ maxLines: 3 });
  for (const piece of ['fir', 'st\nsec', 'ond\n', '', 'thi', 'rd\nfourth\n']) tail.push(piece);
  t.deepEqual(tail.lines(), ['second', 'third', 'fourth']);
});

test('CRLF line ends count as LF, even when CR and LF arrive apart', (t) => {
  const tail = new OutputTail();
  tail.push('one\r\ntwo\r');
  t.deepEqual(tail.lines(), ['one', 'two']);
  tail.push('\nthree\r\n');
  t.deepEqual(tail.lines(), ['one', 'two', 'three']);
  t.is(tail.text(), 'one\ntwo\nthree');
});

test('an unfinished last line is the last line', (t) => {
  const tail = new OutputTail({ maxLines: 2 });
  tail.push('a\nb\nc\npartial');
  t.deepEqual(tail.lines(), ['c', 'partial']);
  tail.push(' more');
  t.deepEqual(tail.lines(), ['c', 'partial more']);
  t.deepEqual(new OutputTail().lines(), []);
  t.is(new OutputTail().text(), '');
});

test('the byte bound drops the oldest lines first', (t) => {
  const tail = new OutputTail({ maxBytes: 20 });
  tail.push('0123456789\nabcdefghi\nxyz\n');
  t.deepEqual(tail.lines(), ['abcdefghi', 'xyz']);
  t.true(Buffer.byteLength(tail.text()) <= 20);
});

test('a huge line without newline keeps its end within the byte bound, at a character boundary', (t) => {
  const tail = new OutputTail({ maxBytes: 8192 });
  for (let i = 0; i < 100; i++) tail.push('€'.repeat(1000));
  tail.push('END');
  const [line] = tail.lines();
  t.true(line.endsWith('€€END'));
  t.true(Buffer.byteLength(line) <= 8192);
  t.true(Buffer.byteLength(line) > 8192 - 3);
  t.is(tail.lines().length, 1);
});

test('a huge line after short ones is alone in the tail, its end kept', (t) => {
  const tail = new OutputTail({ maxBytes: 100 });
  tail.push('short\n' + 'x'.repeat(500) + 'tail end\n');
  t.deepEqual(tail.lines(), ['x'.repeat(92) + 'tail end']);
});
