/** A piece of a task's output as journal text: UTF-8 text, or base64 for bytes that are not UTF-8. */
export interface OutputPiece {
  data: string;
  encoding?: 'base64';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A run of valid text shorter than this between two invalid spans joins them in one base64 piece, so that
 * binary output makes a few pieces per chunk rather than one per stray byte.
 */
const MIN_TEXT_BETWEEN = 16;

/** A chunk as journal text: UTF-8 when it is valid UTF-8, else base64 (so no byte is lost). */
export function encodeOutput(chunk: Buffer): OutputPiece {
  try {
    return { data: strictUtf8.decode(chunk) };
  } catch {
    return { data: chunk.toString('base64'), encoding: 'base64' };
  }
}

export function decodeOutput(event: OutputPiece): Buffer {
  return Buffer.from(event.data, event.encoding === 'base64' ? 'base64' : 'utf8');
}

/**
 * Decodes one output stream (one task, one fd) chunk by chunk. A character split across chunks stays text: the
 * incomplete sequence at a chunk's end (at most 3 bytes) waits for the next chunk. Only invalid spans become
 * base64 pieces. The decoded pieces of all pushes and `end()`, in order, are exactly the bytes pushed.
 */
export class OutputDecoder {
  private carry: Buffer | undefined;

  push(chunk: Buffer): OutputPiece[] {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(data);
    this.carry = tail ? Buffer.from(data.subarray(data.length - tail)) : undefined;
    return decodePieces(tail ? data.subarray(0, data.length - tail) : data);
  }

  /** The stream ended: a sequence still incomplete can never be completed, so it comes out as base64. */
  end(): OutputPiece[] {
    const carry = this.carry;
    this.carry = undefined;
    return carry ? [{ data: carry.toString('base64'), encoding: 'base64' }] : [];
  }
}

function decodePieces(bytes: Buffer): OutputPiece[] {
  if (bytes.length === 0) return [];
  try {
    return [{ data: strictUtf8.decode(bytes) }];
  } catch {
    return splitInvalid(bytes);
  }
}

/** Text, base64 and text again around each invalid span of bytes known to hold one. */
function splitInvalid(bytes: Buffer): OutputPiece[] {
  const pieces: OutputPiece[] = [];
  let textStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceAt(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    const spanStart = i;
    i += invalidLength(bytes, i, length);
    for (;;) {
      let j = i;
      let next = 0;
      while (j < bytes.length && j - i < MIN_TEXT_BETWEEN && (next = sequenceAt(bytes, j)) > 0) j += next;
      if (j >= bytes.length || j - i >= MIN_TEXT_BETWEEN) break;
      i = j + invalidLength(bytes, j, next);
    }
    if (spanStart > textStart) pieces.push({ data: bytes.toString('utf8', textStart, spanStart) });
    pieces.push({ data: bytes.toString('base64', spanStart, i), encoding: 'base64' });
    textStart = i;
  }
  if (textStart < bytes.length) pieces.push({ data: bytes.toString('utf8', textStart) });
  return pieces;
}

/** How many bytes of an invalid sequence at `i` (sequenceAt's answer `length`) go to base64 at once. */
function invalidLength(bytes: Buffer, i: number, length: number): number {
  return length < 0 ? -length : bytes.length - i;
}

/** The bytes at the end of `bytes` that begin a character still to be completed (0 to 3). */
function incompleteTail(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    if ((bytes[i] & 0xc0) !== 0x80) return sequenceAt(bytes, i) === 0 ? bytes.length - i : 0;
  }
  return 0;
}

/**
 * The UTF-8 sequence at `i`: its length when valid, 0 when valid so far but cut by the end of `bytes`, or minus
 * the length of its invalid part (the lead byte and the continuation bytes that were still acceptable).
 */
function sequenceAt(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  let follow: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) follow = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    follow = 2;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    follow = 3;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return -1;
  for (let k = 1; k <= follow; k++) {
    if (i + k >= bytes.length) return 0;
    const byte = bytes[i + k];
    if (byte < low || byte > high) return -k;
    low = 0x80;
    high = 0xbf;
  }
  return follow + 1;
}
