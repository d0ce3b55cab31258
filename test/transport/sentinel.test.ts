import test from 'ava';
import { SentinelParser } from '../../src/transport/sentinel.ts';
import type { Marker } from '../../src/transport/sentinel.ts';

const PREFIX = 'BATONab12_';

function parse(chunks: Array<string | Buffer>): { data: string; events: Array<string | Marker> } {
  const events: Array<string | Marker> = [];
  let data = '';
  const parser = new SentinelParser(PREFIX, {
    data: (chunk) => {
      data += chunk.toString('latin1');
      events.push(chunk.toString('latin1'));
    },
    marker: (marker) => events.push(marker),
  });
  for (const chunk of chunks) parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1'));
  return { data, events };
}

test('markers are taken out of the stream, in order with the data around them', (t) => {
  const { data, events } = parse([`out${PREFIX}3+123;more${PREFIX}3:7;${PREFIX}3;tail`]);
  t.is(data, 'outmoretail');
  t.deepEqual(events, [
    'out',
    { seq: 3, kind: 'start', value: 123 },
    'more',
    { seq: 3, kind: 'status', value: 7 },
    { seq: 3, kind: 'end', value: 0 },
    'tail',
  ]);
});

test('a marker split across chunks at every position is still found, and nothing else is held', (t) => {
  const whole = `abc${PREFIX}12:255;def`;
  for (let cut = 0; cut <= whole.length; cut++) {
    const { data, events } = parse([whole.slice(0, cut), whole.slice(cut)]);
    t.is(data, 'abcdef', `cut at ${cut}`);
    t.deepEqual(
      events.filter((event) => typeof event !== 'string'),
      [{ seq: 12, kind: 'status', value: 255 }],
    );
  }
  const byteByByte = parse([...whole]);
  t.is(byteByByte.data, 'abcdef');
});

test('text that only looks like a marker is data', (t) => {
  const lookalikes = `${PREFIX}x;${PREFIX}1!2;${PREFIX}+;BATONab1`;
  const { data, events } = parse([lookalikes, 'Z']);
  t.is(data, `${lookalikes}Z`);
  t.true(events.every((event) => typeof event === 'string'));
});

test('terminal escape sequences and echoed command text around markers are plain data', (t) => {
  const echo = "printf '%s%s1:%d;' 'BATONa' 'b12_' $?\r\n";
  const { data, events } = parse([
    `\x1b[?2004h${echo}\x1b[?2004l\r${PREFIX}1+9;hi\r\n${PREFIX}1:0;\x1b[?2004h`,
  ]);
  t.is(data, `\x1b[?2004h${echo}\x1b[?2004l\rhi\r\n\x1b[?2004h`);
  t.deepEqual(
    events.filter((event) => typeof event !== 'string'),
    [
      { seq: 1, kind: 'start', value: 9 },
      { seq: 1, kind: 'status', value: 0 },
    ],
  );
});

test('a large output passes through in the chunks it came in, never held whole', (t) => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let largest = 0;
  let total = 0;
  const parser = new SentinelParser(PREFIX, {
    data: (data) => {
      largest = Math.max(largest, data.length);
      total += data.length;
    },
    marker: () => undefined,
  });
  for (let index = 0; index < 16; index++) parser.push(chunk);
  parser.push(Buffer.from(`${PREFIX}1:0;`));
  t.is(total, 16 * chunk.length);
  t.is(largest, chunk.length);
});

test('at the end of the stream, a held possible marker start is data', (t) => {
  const data: string[] = [];
  const parser = new SentinelParser(PREFIX, {
    data: (chunk) => data.push(chunk.toString()),
    marker: () => undefined,
  });
  parser.push(Buffer.from('folder-B'));
  t.deepEqual(data, ['folder-']);
  parser.end();
  t.deepEqual(data, ['folder-', 'B']);
});
