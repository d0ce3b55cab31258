import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  appendKnownHost,
  judgeHostKey,
  keyTypeOf,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  patternsMatch,
  readKnownHosts,
} from '../../src/transport/known-hosts.ts';
import { isBatonError } from '../../src/errors.ts';

/** A fake public key blob of a type: the SSH wire format starts with the type string. */
function blob(type: string, filler: string): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.from(filler)]);
}

const ED = blob('ssh-ed25519', 'key-one');
const ED_OTHER = blob('ssh-ed25519', 'key-two');
const RSA = blob('ssh-rsa', 'rsa-key');
const line = (patterns: string, key: Buffer) => `${patterns} ${keyTypeOf(key)} ${key.toString('base64')}`;

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

test('names: port 22 is the bare host, other ports are [host]:port', (t) => {
  t.is(knownHostsName('Lab.Example', 22), 'lab.example');
  t.is(knownHostsName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

test('patterns: lists, wildcards, negation, [host]:port and hashed names', (t) => {
  t.true(patternsMatch('a,b,lab', 'lab'));
  t.true(patternsMatch('*.example', 'lab.example'));
  t.true(patternsMatch('10.0.0.?', '10.0.0.7'));
  t.false(patternsMatch('*.example,!bad.example', 'bad.example'));
  t.true(patternsMatch('[10.0.0.1]:2222', '[10.0.0.1]:2222'));
  t.false(patternsMatch('10.0.0.1', '[10.0.0.1]:2222'));
  t.true(patternsMatch(hashed('[10.0.0.1]:2222'), '[10.0.0.1]:2222'));
  t.false(patternsMatch(hashed('[10.0.0.1]:2222'), '[10.0.0.1]:2223'));
});

test('verdicts: known, unknown, changed, revoked; comments and markers parsed', (t) => {
  const entries = parseKnownHosts(
    [
      '# a comment',
      '',
      line('[lab]:2222', ED),
      line(hashed('hashed-host'), ED),
      line('rsa-only', RSA),
      `@revoked ${line('*', ED_OTHER)}`,
      `@cert-authority ${line('*', RSA)}`,
      'malformed-line',
    ].join('\n'),
  );
  t.is(entries.length, 5);
  t.is(judgeHostKey(entries, 'lab', 2222, ED), 'known');
  t.is(judgeHostKey(entries, 'lab', 22, ED), 'unknown');
  t.is(judgeHostKey(entries, 'hashed-host', 22, ED), 'known');
  t.is(judgeHostKey(entries, 'hashed-host', 22, ED_OTHER), 'revoked');
  t.is(judgeHostKey(entries, 'lab', 2222, blob('ssh-ed25519', 'key-three')), 'changed');
  t.is(judgeHostKey(entries, 'rsa-only', 22, ED), 'changed', 'a host known with other key types only');
  t.deepEqual(knownKeyTypes(entries, 'rsa-only', 22), ['ssh-rsa']);
});

test('an accepted key is appended in OpenSSH form, creating the file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-known-hosts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sub', 'known_hosts');
  appendKnownHost(file, '10.0.0.1', 2222, ED);
  appendKnownHost(file, 'Lab', 22, RSA);
  const text = readFileSync(file, 'utf8');
  t.is(text, `${line('[10.0.0.1]:2222', ED)}\n${line('lab', RSA)}\n`);
  t.is(judgeHostKey(parseKnownHosts(text), '10.0.0.1', 2222, ED), 'known');
});

test('reading: a missing file lists nothing; one that cannot be read is FILE_UNREADABLE, not empty', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-known-hosts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'known_hosts'), `${line('lab', ED)}\n`);
  t.is(readKnownHosts([join(dir, 'missing'), join(dir, 'known_hosts')]).length, 1);
  mkdirSync(join(dir, 'folder'));
  const error = t.throws(() => readKnownHosts([join(dir, 'folder')]));
  t.true(isBatonError(error, 'FILE_UNREADABLE'));
  t.like((error as unknown as { fields: object }).fields, { file: join(dir, 'folder') });
});
