/**
 * SHA-1 whose state can be saved after any number of bytes and resumed: variant ids hash the
 * fingerprints of their leaves in path order, and consecutive variants share most of that prefix, so
 * the id builder resumes from the state after the shared part instead of hashing everything again.
 */

/** The running state: chaining value, bytes not yet compressed, and the total length. */
export class Sha1State {
  readonly h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0]);
  readonly block = new Uint8Array(64);
  filled = 0;
  length = 0;

  copyFrom(other: Sha1State): void {
    this.h.set(other.h);
    this.block.set(other.block);
    this.filled = other.filled;
    this.length = other.length;
  }

  update(bytes: Uint8Array): void {
    this.length += bytes.length;
    let at = 0;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, bytes.length);
      this.block.set(bytes.subarray(0, take), this.filled);
      this.filled += take;
      at = take;
      if (this.filled < 64) return;
      compress(this.h, this.block, 0);
      this.filled = 0;
    }
    for (; at + 64 <= bytes.length; at += 64) compress(this.h, bytes, at);
    if (at < bytes.length) {
      this.block.set(bytes.subarray(at), 0);
      this.filled = bytes.length - at;
    }
  }

  /** The first 8 hex digits of the digest of what was fed so far; the state itself is kept. */
  digestPrefix(): string {
    const h = FINAL_H;
    h.set(this.h);
    const block = FINAL_BLOCK;
    block.set(this.block.subarray(0, this.filled));
    block[this.filled] = 0x80;
    block.fill(0, this.filled + 1);
    if (this.filled >= 56) {
      compress(h, block, 0);
      block.fill(0);
    }
    const bits = this.length * 8;
    const high = Math.floor(bits / 0x100000000);
    const low = bits >>> 0;
    block[56] = high >>> 24;
    block[57] = high >>> 16;
    block[58] = high >>> 8;
    block[59] = high;
    block[60] = low >>> 24;
    block[61] = low >>> 16;
    block[62] = low >>> 8;
    block[63] = low;
    compress(h, block, 0);
    return (h[0] >>> 0).toString(16).padStart(8, '0');
  }
}

const W = new Int32Array(80);
const FINAL_H = new Int32Array(5);
const FINAL_BLOCK = new Uint8Array(64);

function compress(h: Int32Array, data: Uint8Array, offset: number): void {
  const w = W;
  for (let index = 0, at = offset; index < 16; index++, at += 4) {
    w[index] = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3];
  }
  for (let index = 16; index < 80; index++) {
    const x = w[index - 3] ^ w[index - 8] ^ w[index - 14] ^ w[index - 16];
    w[index] = (x << 1) | (x >>> 31);
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let t = 0;
  let index = 0;
  for (; index < 20; index++) {
    t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[index]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (; index < 40; index++) {
    t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[index]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (; index < 60; index++) {
    t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w[index]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (; index < 80; index++) {
    t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w[index]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
}
