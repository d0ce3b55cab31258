/** The per-run shared secret (S2): random, compared in constant time, never logged. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compare through fixed-length digests, so neither the content nor the length of the secret leaks through timing. */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Session tokens are bearer secrets too; they are random and unguessable. */
export function generateSessionToken(): string {
  return randomBytes(16).toString('hex');
}
