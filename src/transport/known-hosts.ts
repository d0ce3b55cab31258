/**
 * OpenSSH known_hosts: parse lines (`[marker] patterns keytype key`), match a host against plain, wildcard,
 * negated, `[host]:port` and hashed (`|1|salt|hash`) patterns, and judge a presented host key. Pure apart from
 * reading and appending files.
 */
import { createHmac } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BatonError, errorMessage } from '../errors.ts';

export interface KnownHostsEntry {
  marker: 'cert-authority' | 'revoked' | undefined;
  patterns: string;
  keyType: string;
  key: Buffer;
}

/** known: a listed key; unknown: the host is not listed; changed: listed with other keys; revoked: listed @revoked. */
export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0].startsWith('@') ? fields.shift()?.slice(1) : undefined;
    const [patterns, keyType, key] = fields;
    if (patterns === undefined || keyType === undefined || key === undefined) continue;
    if (marker !== undefined && marker !== 'cert-authority' && marker !== 'revoked') continue;
    entries.push({ marker, patterns, keyType, key: Buffer.from(key, 'base64') });
  }
  return entries;
}

/** How known_hosts names a host: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

function wildcardMatch(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replaceAll('[', '\\[')
    .replaceAll(']', '\\]')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`).test(name);
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, kind, salt, hash] = pattern.split('|');
  if (kind !== '1' || salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether a patterns field (comma-separated, `!` negates, or one hashed name) names `name`. */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key type inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.toString('latin1', 4, 4 + length);
}

function entriesFor(entries: KnownHostsEntry[], host: string, port: number): KnownHostsEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((entry) => entry.marker !== 'cert-authority' && patternsMatch(entry.patterns, name));
}

/** Judge the key a host presented. A host listed only with other key types counts as changed. */
export function judgeHostKey(
  entries: KnownHostsEntry[],
  host: string,
  port: number,
  key: Buffer,
): HostKeyVerdict {
  const listed = entriesFor(entries, host, port);
  if (listed.some((entry) => entry.marker === 'revoked' && entry.key.equals(key))) return 'revoked';
  const plain = listed.filter((entry) => entry.marker === undefined);
  if (plain.some((entry) => entry.key.equals(key))) return 'known';
  return plain.length === 0 ? 'unknown' : 'changed';
}

/** Key types known for a host, to ask the server for one of those first. */
export function knownKeyTypes(entries: KnownHostsEntry[], host: string, port: number): string[] {
  return [
    ...new Set(
      entriesFor(entries, host, port)
        .filter((e) => e.marker === undefined)
        .map((e) => e.keyType),
    ),
  ];
}

/** The entries of known_hosts files; a missing file lists nothing, one that cannot be read is FILE_UNREADABLE. */
export function readKnownHosts(files: string[]): KnownHostsEntry[] {
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new BatonError(
        'FILE_UNREADABLE',
        `cannot read known_hosts file ${file}: ${errorMessage(error)}`,
        { file },
        { cause: error },
      );
    }
    return parseKnownHosts(text);
  });
}

/** Record an accepted key, creating the file (0600) and its folder (0700) if needed. */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let existing = '';
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    existing = '';
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const line = `${knownHostsName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
  appendFileSync(file, separator + line, { mode: 0o600 });
}
