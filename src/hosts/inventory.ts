/**
 * An Ansible inventory as Baton hosts: the JSON of `ansible-inventory --list` mapped to host specs (ssh, or
 * local for `ansible_connection=local`) and groups (each with its children's hosts). Pure: the process that
 * produces the JSON is ansible.ts.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatonError } from '../errors.ts';
import type { HostSpec } from '../transport/transport.ts';
import { splitShellWords } from './shell-words.ts';

type SshSpec = Extract<HostSpec, { kind: 'ssh' }>;

/** `ansible-inventory --list`: groups by name (hosts, children), and `_meta.hostvars`. */
export interface InventoryJson {
  _meta?: { hostvars?: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | undefined | InventoryJson['_meta'];
}

/** One host as resolved, for the results folder: what it maps to and which of its variables were not used. */
export interface ResolvedHost {
  name: string;
  spec: HostSpec;
  groups: string[];
  /** Names of `ansible_*` variables and ssh options Baton does not use (values never recorded: they may be secrets). */
  ignored: string[];
}

export interface ResolvedInventory {
  hosts: ResolvedHost[];
  groups: Map<string, string[]>;
}

/** The variables that make a host's spec; the other `ansible_*` ones are reported as ignored. */
const USED = new Set([
  'ansible_connection',
  'ansible_host',
  'ansible_ssh_host',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_ssh_common_args',
  'ansible_ssh_extra_args',
  'ansible_host_key_checking',
  'ansible_ssh_host_key_checking',
]);

const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

export interface MapOptions {
  /** The inventory, for messages. */
  source: string;
  /** Relative key files are read from here, as ansible's ssh does. */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Map the inventory's hosts (those `selected` names, else all) to specs; refuses what it cannot map, naming the host. */
export function mapInventory(
  json: InventoryJson,
  options: MapOptions,
  selected?: readonly string[],
): ResolvedInventory {
  const groups = groupMembers(json);
  const names = selected ?? groups.get('all') ?? [];
  const hostvars = json._meta?.hostvars ?? {};
  const memberOf = (host: string) =>
    [...groups]
      .filter(([group, members]) => group !== 'all' && members.includes(host))
      .map(([group]) => group);
  const hosts = names.map((name) => ({
    name,
    groups: memberOf(name),
    ...mapHost(name, hostvars[name] ?? {}, options),
  }));
  const kept = new Set(names);
  const selectedGroups = new Map<string, string[]>();
  for (const [group, members] of groups) {
    const inside = members.filter((member) => kept.has(member));
    if (inside.length > 0) selectedGroups.set(group, inside);
  }
  return { hosts, groups: selectedGroups };
}

/** Every group's hosts, its children's included, in inventory order (`all` holds every host). */
export function groupMembers(json: InventoryJson): Map<string, string[]> {
  const entry = (name: string) => {
    const value = json[name];
    return name === '_meta' || value === undefined
      ? {}
      : (value as { hosts?: string[]; children?: string[] });
  };
  const result = new Map<string, string[]>();
  const collect = (name: string, visiting: Set<string>): string[] => {
    const known = result.get(name);
    if (known) return known;
    if (visiting.has(name)) return [];
    visiting.add(name);
    const { hosts = [], children = [] } = entry(name);
    const members = new Set(hosts);
    for (const child of children) for (const host of collect(child, visiting)) members.add(host);
    visiting.delete(name);
    result.set(name, [...members]);
    return result.get(name)!;
  };
  for (const name of Object.keys(json)) if (name !== '_meta') collect(name, new Set());
  if (!result.has('all')) result.set('all', []);
  // Hosts that only hostvars list (a group-less inventory) belong to `all` too.
  const all = new Set(result.get('all'));
  for (const host of Object.keys(json._meta?.hostvars ?? {})) all.add(host);
  result.set('all', [...all]);
  return result;
}

function mapHost(
  name: string,
  vars: Record<string, unknown>,
  options: MapOptions,
): { spec: HostSpec; ignored: string[] } {
  const refuse = (message: string) =>
    new BatonError('ANSIBLE_HOST_UNSUPPORTED', `host ${name} of ${options.source}: ${message}`, {
      host: name,
      file: options.source,
    });
  const text = (key: string): string | undefined => {
    const value = vars[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'object') throw refuse(`${key} must be a plain value, got ${JSON.stringify(value)}`);
    const string = typeof value === 'string' ? value : JSON.stringify(value);
    if (string.includes('{{') || string.includes('{%'))
      throw refuse(`${key} is a Jinja template (${string}), which Baton does not evaluate`);
    return string;
  };
  const ignored = Object.keys(vars).filter((key) => key.startsWith('ansible_') && !USED.has(key));
  const connection = (text('ansible_connection') ?? 'ssh').replace(/^ansible\.builtin\./, '');
  if (connection === 'local') return { spec: { kind: 'local', name }, ignored };
  if (!SSH_CONNECTIONS.has(connection))
    throw refuse(
      `ansible_connection=${connection} cannot be mapped (Baton reaches hosts by ssh, or locally)`,
    );
  const spec: SshSpec = { kind: 'ssh', name, host: text('ansible_host') ?? text('ansible_ssh_host') ?? name };
  const user = text('ansible_user') ?? text('ansible_ssh_user');
  if (user !== undefined) spec.user = user;
  const port = text('ansible_port') ?? text('ansible_ssh_port');
  if (port !== undefined) spec.port = portNumber(port, refuse);
  const key = text('ansible_ssh_private_key_file') ?? text('ansible_private_key_file');
  if (key !== undefined) spec.identityFiles = [localPath(key, options)];
  const checking = text('ansible_host_key_checking') ?? text('ansible_ssh_host_key_checking');
  if (checking !== undefined && /^(false|no|0|off)$/i.test(checking)) spec.acceptUnknownHostKey = true;
  for (const argsKey of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const args = text(argsKey);
    if (args !== undefined) applySshArgs(spec, splitShellWords(args), options, refuse, ignored);
  }
  return { spec, ignored };
}

function portNumber(text: string, refuse: (message: string) => BatonError): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) throw refuse(`port must be 1-65535, got ${text}`);
  return port;
}

/** A path as ansible's ssh reads it: `~` from the home folder, relative from the current folder. */
function localPath(path: string, options: MapOptions): string {
  const home = options.env.HOME || homedir();
  if (path === '~' || path.startsWith('~/')) return join(home, path.slice(1));
  return resolve(options.cwd, path);
}

/**
 * The ssh command-line options of `ansible_ssh_common_args`/`_extra_args` that map to a host spec: `-J`,
 * `-o ProxyJump=`, `-i`, `-p`, `-l`, `-o` IdentityFile, User, Port, StrictHostKeyChecking,
 * UserKnownHostsFile, ConnectTimeout and ServerAliveInterval. ProxyCommand is refused; the rest is ignored.
 */
function applySshArgs(
  spec: SshSpec,
  words: string[],
  options: MapOptions,
  refuse: (message: string) => BatonError,
  ignored: string[],
): void {
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    const flag = /^-([oJipl])(.*)$/s.exec(word);
    if (!flag) {
      ignored.push(word);
      continue;
    }
    const value = flag[2] !== '' ? flag[2] : words[++index];
    if (value === undefined) throw refuse(`ssh option ${word} has no value`);
    if (flag[1] === 'J') spec.proxyJump = value;
    if (flag[1] === 'i') spec.identityFiles = [...(spec.identityFiles ?? []), localPath(value, options)];
    if (flag[1] === 'p') spec.port = portNumber(value, refuse);
    if (flag[1] === 'l') spec.user = value;
    if (flag[1] === 'o') applySshOption(spec, value, options, refuse, ignored);
  }
}

function applySshOption(
  spec: SshSpec,
  option: string,
  options: MapOptions,
  refuse: (message: string) => BatonError,
  ignored: string[],
): void {
  const match = /^\s*([A-Za-z]+)\s*(?:=|\s)\s*(.*?)\s*$/s.exec(option);
  if (!match) throw refuse(`ssh option -o '${option}' is not Key=Value`);
  const [, key, value] = match;
  const seconds = () => {
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0)
      throw refuse(`${key} must be a number of seconds, got ${value}`);
    return number * 1000;
  };
  switch (key.toLowerCase()) {
    case 'proxyjump':
      if (value.toLowerCase() !== 'none') spec.proxyJump = value;
      return;
    case 'proxycommand':
      throw refuse(`ProxyCommand is not supported: write the jump host as ProxyJump (-J)`);
    case 'identityfile':
      spec.identityFiles = [...(spec.identityFiles ?? []), localPath(value, options)];
      return;
    case 'user':
      spec.user = value;
      return;
    case 'port':
      spec.port = portNumber(value, refuse);
      return;
    case 'stricthostkeychecking':
      spec.acceptUnknownHostKey = /^(no|accept-new|off|false)$/i.test(value);
      return;
    case 'userknownhostsfile':
      spec.knownHostsFile = localPath(value.split(/\s+/)[0], options);
      return;
    case 'connecttimeout':
      spec.limits = { ...spec.limits, connectTimeoutMs: seconds() };
      return;
    case 'serveraliveinterval':
      spec.limits = { ...spec.limits, keepaliveIntervalMs: seconds() };
      return;
    default:
      ignored.push(`-o ${key}`);
  }
}
