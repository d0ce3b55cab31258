/**
 * Why a reader refused a file without reading it all: it is not a regular file (a device, a pipe, a
 * directory), or it holds more bytes than the loader's cap. The loader reports either at the include site.
 */
export class ReadRefused extends Error {
  readonly reason: 'not-regular' | 'too-large';
  /** Bytes seen before stopping (at most the cap plus one) for `too-large`. */
  readonly bytes: number;
  constructor(reason: 'not-regular' | 'too-large', message: string, bytes = 0) {
    super(message);
    this.reason = reason;
    this.bytes = bytes;
  }
}
