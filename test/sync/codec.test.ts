import test from 'ava';
import { LineParser, formatLine, parseMessage } from '../../src/sync/codec.ts';
import {
  decodedLength,
  isWellEncoded,
  percentDecode,
  percentDecodeText,
  percentEncode,
} from '../../src/sync/percent.ts';

function collect(options: { maxLineBytes: number; longLine?: { verb: string; maxBytes: number } }) {
  const lines: string[] = [];
  let overflows = 0;
  const parser = new LineParser({
    ...options,
    onLine: (line) => lines.push(line),
    onOverflow: () => overflows++,
  });
  return { parser, lines, overflows: () => overflows };
}

test('P1: the parser splits lines on \\n, accepts \\r\\n, and joins lines split across chunks', (t) => {
  const { parser, lines } = collect({ maxLineBytes: 100 });
  parser.push(Buffer.from('PING\r\nSTA'));
  parser.push(Buffer.from('TUS x\n'));
  parser.push(Buffer.from('WAIT a count=2\nHE'));
  parser.push(Buffer.from('LP\n'));
  t.deepEqual(lines, ['PING', 'STATUS x', 'WAIT a count=2', 'HELP']);
});

test('P1: a line read a byte at a time, or in a few large pieces, arrives whole; the chunks are only lent', (t) => {
  const text = 'WAIT big count=2 data=' + 'd'.repeat(5000);
  const { parser, lines } = collect({ maxLineBytes: 8192 });
  for (const byte of Buffer.from(text + '\r\nPING\n')) parser.push(Buffer.from([byte]));
  t.deepEqual(lines, [text, 'PING']);

  // One read buffer, overwritten after every push, as the server reads every socket into one shared buffer.
  const shared = Buffer.alloc(8192);
  const held: string[] = [];
  const bytes = new LineParser({
    maxLineBytes: 8192,
    onLine: () => {},
    onLineBytes: (line) => held.push(line.toString()),
    onOverflow: () => {},
  });
  const feed = (piece: string) => {
    const length = shared.write(piece);
    bytes.push(shared.subarray(0, length));
    shared.fill(0x78);
  };
  feed(text.slice(0, 100));
  feed(text.slice(100) + '\nWAIT next');
  feed(' count=2\nPING\n');
  t.deepEqual(held, [text, 'WAIT next count=2', 'PING']);
});

test('P1: a line longer than the limit stops the parser once, with or without its newline', (t) => {
  const open = collect({ maxLineBytes: 8192 });
  open.parser.push(Buffer.alloc(9 * 1024, 0x61));
  t.is(open.overflows(), 1);
  open.parser.push(Buffer.from('PING\n'));
  t.deepEqual(open.lines, []);

  const closed = collect({ maxLineBytes: 8192 });
  closed.parser.push(
    Buffer.concat([Buffer.from('PING\n'), Buffer.alloc(8193, 0x61), Buffer.from('\nPING\n')]),
  );
  t.deepEqual(closed.lines, ['PING']);
  t.is(closed.overflows(), 1);

  const split = collect({ maxLineBytes: 8192 });
  for (let index = 0; index < 9; index++) split.parser.push(Buffer.alloc(1024, 0x61));
  t.is(split.overflows(), 1);
});

test('P1: a line of exactly the limit passes; a WAIT line may be longer by its data allowance', (t) => {
  const { parser, lines, overflows } = collect({
    maxLineBytes: 16,
    longLine: { verb: 'WAIT', maxBytes: 64 },
  });
  parser.push(Buffer.from('x'.repeat(16) + '\r\n'));
  parser.push(Buffer.from('WAIT b data=' + 'y'.repeat(40) + '\n'));
  parser.push(Buffer.from('wa'));
  parser.push(Buffer.from('it c data=' + 'z'.repeat(40) + '\n'));
  t.is(overflows(), 0);
  t.is(lines.length, 3);
  parser.push(Buffer.from('STATUS ' + 'q'.repeat(20) + '\n'));
  t.is(overflows(), 1);
});

test('P2: a line is VERB, positional arguments and key=value fields; the verb is case-insensitive', (t) => {
  const message = parseMessage('wait  setup count=3\ttimeout_ms=100 data=a%3Db x=1=2 id=w1');
  t.is(message?.verb, 'WAIT');
  t.deepEqual(message?.args, ['setup']);
  t.deepEqual({ ...message?.fields }, { count: '3', timeout_ms: '100', data: 'a%3Db', x: '1=2', id: 'w1' });
  t.is(parseMessage('   '), undefined);
  const proto = parseMessage('X __proto__=1 constructor=2');
  t.is(proto?.fields.__proto__, '1');
  t.is(Object.getPrototypeOf(proto?.fields), null);
});

test('P2: values with spaces, = and % are percent-encoded and decode to the same bytes', (t) => {
  const samples = ['a b=c%d', 'héllo wörld', '{"port":5432}', '\n\r\t\0', "safe-_.!~*'()"];
  for (const sample of samples) {
    const encoded = percentEncode(sample);
    t.notRegex(encoded, /[ =\n\r\t]/);
    t.true(isWellEncoded(encoded));
    t.is(percentDecodeText(encoded), sample);
    t.is(decodedLength(encoded), Buffer.byteLength(sample));
  }
  t.is(percentEncode('{"port":5432}'), '%7B%22port%22%3A5432%7D');
  const bytes = Buffer.from([0, 1, 0x25, 0x7f, 0x80, 0xff]);
  t.deepEqual(percentDecode(percentEncode(bytes)), bytes);
  t.false(isWellEncoded('50%'));
  t.false(isWellEncoded('%zz'));
  t.true(isWellEncoded('100%25'));
});

test('P2: formatLine writes args then fields, leaving out absent values', (t) => {
  t.is(
    formatLine('GO', ['setup'], { gen: 1, members: 'a,b', data: undefined, id: 'w1' }),
    'GO setup gen=1 members=a,b id=w1\n',
  );
  t.is(formatLine('PONG', []), 'PONG\n');
});
