import test from 'ava';
import { decodeOutput, encodeOutput, OutputDecoder } from '../../src/stream/output.ts';
import type { OutputPiece } from '../../src/stream/output.ts';

const euros = '€'.repeat(200_000);

/** Feed `bytes` to a decoder cut at `cuts` (increasing offsets) and return every piece, end() included. */
function decodeCut(bytes: Buffer, cuts: readonly number[]): OutputPiece[] {
  const decoder = new OutputDecoder();
  const pieces: OutputPiece[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(...decoder.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return [...pieces, ...decoder.end()];
}

function joined(pieces: readonly OutputPiece[]): Buffer {
  return Buffer.concat(pieces.map(decodeOutput));
}

function everyCut(length: number, size: number, phase = 0): number[] {
  const cuts: number[] = [];
  for (let cut = phase || size; cut < length; cut += size) cuts.push(cut);
  return cuts;
}

/** A small seeded generator (mulberry32), so that a failing cut can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

test('encodeOutput and decodeOutput still map one whole chunk', (t) => {
  t.deepEqual(encodeOutput(Buffer.from('plain €')), { data: 'plain €' });
  t.deepEqual(encodeOutput(Buffer.from([0xff, 0x41])), { data: '/0E=', encoding: 'base64' });
  t.deepEqual(decodeOutput({ data: '/0E=', encoding: 'base64' }), Buffer.from([0xff, 0x41]));
});

test('200,000 "€" in 64 KiB chunks, whatever the phase of the cut, are text pieces only', (t) => {
  const bytes = Buffer.from(euros);
  for (const size of [65_536, 65_535, 65_537]) {
    for (const phase of [0, 1, 2]) {
      const pieces = decodeCut(bytes, everyCut(bytes.length, size, phase));
      t.true(
        pieces.every((piece) => piece.encoding === undefined),
        `chunks of ${size} from ${phase}`,
      );
      t.is(pieces.map((piece) => piece.data).join(''), euros);
    }
  }
});

test('200,000 "€" cut in chunks of 1 to 7 bytes are text pieces only', (t) => {
  const bytes = Buffer.from(euros);
  for (let size = 1; size <= 7; size++) {
    const pieces = decodeCut(bytes, everyCut(bytes.length, size));
    t.true(
      pieces.every((piece) => piece.encoding === undefined),
      `chunks of ${size}`,
    );
    t.is(pieces.map((piece) => piece.data).join(''), euros);
  }
});

test('200,000 "€" cut at seeded random boundaries are text pieces only', (t) => {
  const bytes = Buffer.from(euros);
  for (const seed of [1, 2, 3, 42, 2026]) {
    const random = seeded(seed);
    const cuts: number[] = [];
    for (let cut = 0; ;) {
      cut += 1 + Math.floor(random() * 100_000);
      if (cut >= bytes.length) break;
      cuts.push(cut);
    }
    const pieces = decodeCut(bytes, cuts);
    t.true(
      pieces.every((piece) => piece.encoding === undefined),
      `seed ${seed}`,
    );
    t.is(pieces.map((piece) => piece.data).join(''), euros, `seed ${seed}`);
  }
});

test('text of 1- to 4-byte characters cut at every pair of boundaries is text pieces only', (t) => {
  const text = 'a€ß😀b€😀é\n';
  const bytes = Buffer.from(text);
  for (let first = 0; first <= bytes.length; first++) {
    for (let second = first; second <= bytes.length; second++) {
      const pieces = decodeCut(bytes, [first, second]);
      t.true(
        pieces.every((piece) => piece.encoding === undefined),
        `cut at ${first} and ${second}`,
      );
      t.is(pieces.map((piece) => piece.data).join(''), text);
    }
  }
});

test('a 4-byte emoji split 1+3, 2+2 and 3+1 is one text character', (t) => {
  const emoji = Buffer.from('😀');
  for (const cut of [1, 2, 3]) {
    const decoder = new OutputDecoder();
    t.deepEqual(decoder.push(emoji.subarray(0, cut)), [], `first ${cut} bytes wait`);
    t.deepEqual(decoder.push(emoji.subarray(cut)), [{ data: '😀' }], `split ${cut}+${4 - cut}`);
    t.deepEqual(decoder.end(), []);
  }
});

test('invalid bytes in the middle give text, base64, text, and round-trip exactly', (t) => {
  const bytes = Buffer.concat([
    Buffer.from('before €'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('after ß\n'),
  ]);
  const pieces = new OutputDecoder().push(bytes);
  t.deepEqual(pieces, [
    { data: 'before €' },
    { data: Buffer.from([0xff, 0xfe, 0xc3]).toString('base64'), encoding: 'base64' },
    { data: 'after ß\n' },
  ]);
  t.deepEqual(joined(pieces), bytes);
});

test('invalid spans split across chunks and sequences invalid after their lead round-trip exactly', (t) => {
  const samples = [
    [0xe2, 0x82, 0x41],
    [0xe0, 0x80, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf0, 0x9f, 0x98],
    [0xc0, 0xaf],
    [0x80, 0xbf],
  ].map((invalid) => Buffer.concat([Buffer.from('x€'), Buffer.from(invalid), Buffer.from('€y')]));
  for (const bytes of samples) {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const pieces = decodeCut(bytes, [cut]);
      t.deepEqual(joined(pieces), bytes, `${bytes.toString('hex')} cut at ${cut}`);
      t.true(pieces.some((piece) => piece.encoding === 'base64'));
      t.true(pieces.some((piece) => piece.encoding === undefined && piece.data.includes('€')));
    }
  }
});

test('binary output makes few pieces: short text between invalid bytes goes with them', (t) => {
  const random = seeded(7);
  const bytes = Buffer.from(Array.from({ length: 65_536 }, () => Math.floor(random() * 256)));
  const pieces = decodeCut(bytes, [30_000]);
  t.deepEqual(joined(pieces), bytes);
  t.true(pieces.length < 20, `${pieces.length} pieces`);
});

test('a chunk ending mid-character, then end(), gives base64 for the dangling bytes', (t) => {
  const decoder = new OutputDecoder();
  const bytes = Buffer.from('done €');
  t.deepEqual(decoder.push(bytes.subarray(0, bytes.length - 1)), [{ data: 'done ' }]);
  t.deepEqual(decoder.end(), [{ data: bytes.subarray(-3, -1).toString('base64'), encoding: 'base64' }]);
  t.deepEqual(decoder.end(), []);
});
