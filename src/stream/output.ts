const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A chunk as journal text: UTF-8 when it is valid UTF-8, else base64 (so no byte is lost). */
export function encodeOutput(chunk: Buffer): { data: string; encoding?: 'base64' } {
  try {
    return { data: strictUtf8.decode(chunk) };
  } catch {
    return { data: chunk.toString('base64'), encoding: 'base64' };
  }
}

export function decodeOutput(event: { data: string; encoding?: 'base64' }): Buffer {
  return Buffer.from(event.data, event.encoding === 'base64' ? 'base64' : 'utf8');
}
