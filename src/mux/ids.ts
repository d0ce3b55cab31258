/**
 * Variant ids as the reference's `generate_variant_id` makes them: leaves sorted by path; the name is the
 * path components of each leaf in that order, skipping those already used by earlier leaves (repeats
 * within one path are kept); then `-` and the first 4 hex digits of the SHA-1 of the leaves' fingerprints
 * joined by newlines. An empty root variant is `-de02`.
 */
import { hash } from 'node:crypto';
import { Sha1State } from './sha1.ts';

export interface IdPart {
  rank: number;
  names: readonly string[];
  fingerprint: string;
}

/** The parts sorted by path (stable, like Python's `sorted`). */
export function sortedByPath<T extends { rank: number }>(parts: readonly T[]): T[] {
  const sorted = parts.slice();
  for (let index = 1; index < sorted.length; index++) {
    const item = sorted[index];
    let at = index - 1;
    while (at >= 0 && sorted[at].rank > item.rank) {
      sorted[at + 1] = sorted[at]!;
      at--;
    }
    sorted[at + 1] = item;
  }
  return sorted;
}

export function variantName(sorted: readonly IdPart[]): string {
  const used = new Set<string>();
  const name: string[] = [];
  for (const part of sorted) {
    const fresh = part.names.filter((component) => !used.has(component));
    for (const component of fresh) {
      name.push(component);
      used.add(component);
    }
  }
  return name.join('-');
}

export function variantFingerprint(sorted: readonly IdPart[]): string {
  return sorted.map((part) => part.fingerprint).join('\n');
}

export function variantId(parts: readonly IdPart[]): { id: string; fingerprint: string } {
  const sorted = sortedByPath(parts);
  const fingerprint = variantFingerprint(sorted);
  return { id: `${variantName(sorted)}-${hash('sha1', fingerprint, 'hex').slice(0, 4)}`, fingerprint };
}

const NEWLINE = new Uint8Array([0x0a]);
const encoder = new TextEncoder();

/**
 * Ids for a sequence of variants, reusing the work of the previous one: the leaves it shares as a
 * prefix in path order keep their hash state and name, so an id costs the leaves that changed.
 */
export class IdBuilder {
  private readonly parts: IdPart[] = [];
  private readonly states: Sha1State[] = [new Sha1State()];
  private readonly names: string[] = [''];
  private readonly counts: number[] = [0];
  private readonly added: string[][] = [[]];
  private readonly used = new Set<string>();
  private readonly bytes = new WeakMap<IdPart, Uint8Array>();

  id(parts: readonly IdPart[]): string {
    const sorted = sortedByPath(parts);
    let common = 0;
    while (common < sorted.length && common < this.parts.length && sorted[common] === this.parts[common])
      common++;
    for (let level = this.parts.length; level > common; level--) {
      for (const component of this.added[level]) this.used.delete(component);
    }
    this.parts.length = common;
    for (let level = common; level < sorted.length; level++) this.push(sorted[level], level);
    return `${this.names[sorted.length]}-${this.states[sorted.length].digestPrefix().slice(0, 4)}`;
  }

  private push(part: IdPart, level: number): void {
    const state = (this.states[level + 1] ??= new Sha1State());
    state.copyFrom(this.states[level]);
    if (level > 0) state.update(NEWLINE);
    let bytes = this.bytes.get(part);
    if (!bytes) {
      bytes = encoder.encode(part.fingerprint);
      this.bytes.set(part, bytes);
    }
    state.update(bytes);
    const fresh = part.names.filter((component) => !this.used.has(component));
    for (const component of fresh) this.used.add(component);
    this.added[level + 1] = fresh;
    const before = this.names[level];
    const count = this.counts[level];
    this.names[level + 1] =
      fresh.length === 0 ? before : count === 0 ? fresh.join('-') : `${before}-${fresh.join('-')}`;
    this.counts[level + 1] = count + fresh.length;
    this.parts.push(part);
  }
}
