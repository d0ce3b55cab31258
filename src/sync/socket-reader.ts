/**
 * Reads of every socket of a server into one shared buffer, so that input costs no allocation per read: the
 * bytes of a read are lent to the consumer for the length of one call, then the buffer is reused for the next
 * read of any socket. It uses the read path of net.Socket's `onread` option, which Node offers to sockets it is
 * asked to create but not to the sockets a server accepts; those get it through the same internals `onread`
 * sets. Where they are missing (another Node, a TLS socket), chunks come from 'data' events instead.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** Size of the buffer every socket of a server reads into. */
export const SHARED_READ_BYTES = 64 * 1024;

/** How a socket's input is read: into the shared buffer, or as 'data' events. */
export type ReadPath = 'shared' | 'events';

/** Bytes read from a socket, lent for the call: copy what must outlive it. */
export type OnChunk = (chunk: Buffer) => void;

interface ReadInternals {
  buffer: symbol;
  callback: symbol;
}

interface UserBufferHandle {
  useUserBuffer?(buffer: Uint8Array): void;
}

let internals: ReadInternals | null | undefined;

// The symbols under which net.Socket keeps its `onread` buffer and callback, as a plain socket shows them.
function readInternals(probe: Socket): ReadInternals | null {
  if (internals !== undefined) return internals;
  const symbols = Object.getOwnPropertySymbols(probe);
  const buffer = symbols.find((symbol) => symbol.description === 'kBuffer');
  const callback = symbols.find((symbol) => symbol.description === 'kBufferCb');
  internals = buffer && callback ? { buffer, callback } : null;
  return internals;
}

export class SharedReader {
  private readonly buffer: Buffer;

  constructor(size = SHARED_READ_BYTES) {
    this.buffer = Buffer.allocUnsafeSlow(size);
  }

  /** Deliver the socket's input to `onChunk`, through the shared buffer when this Node allows it. */
  attach(socket: Socket, onChunk: OnChunk): ReadPath {
    const handle = (socket as unknown as { _handle: UserBufferHandle | null })._handle;
    const symbols = socket instanceof TLSSocket ? null : readInternals(socket);
    if (symbols === null || typeof handle?.useUserBuffer !== 'function') {
      socket.on('data', onChunk);
      return 'events';
    }
    const shared = this.buffer;
    const slots = socket as unknown as Record<symbol, unknown>;
    slots[symbols.buffer] = shared;
    // Returning false would stop the socket's reads: this callback returns nothing.
    slots[symbols.callback] = (bytes: number): void => {
      onChunk(shared.subarray(0, bytes));
    };
    handle.useUserBuffer(shared);
    // Anything read before the switch waits in the stream's own buffer: it goes first, once the caller is set up.
    if (socket.readableLength > 0)
      process.nextTick(() => {
        for (let early = socket.read() as Buffer | null; early !== null; early = socket.read() as Buffer | null)
          onChunk(early);
      });
    return 'shared';
  }
}
