/**
 * What `--hosts` names: a Baton hosts file, an Ansible inventory, or `ansible://PATTERN`. The rule:
 *   1. `ansible://PATTERN`: the hosts of Ansible's configured inventory (ANSIBLE_INVENTORY, ansible.cfg, else
 *      /etc/ansible/hosts) that PATTERN selects (`ansible://` alone: all of them);
 *   2. a folder, or a file named `*.ini`, `*.yml`, `*.yaml` or `*.json`: an Ansible inventory;
 *   3. any other file is an inventory when its first line that is not blank or a comment is a `[group]`
 *      header, `---` or a YAML key (`all:`), or when a line sets an `ansible_...=` variable; else it is a
 *      Baton hosts file (`NAME = SPEC` lines).
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { BatonError } from '../errors.ts';
import { HostBook, readHostsFile } from '../scenario/hosts-file.ts';
import type { HostSpec } from '../transport/transport.ts';
import { listInventory } from './ansible.ts';
import { groupMembers, mapInventory } from './inventory.ts';
import { selectHosts } from './pattern.ts';

export const ANSIBLE_PREFIX = 'ansible://';

const INVENTORY_EXTENSIONS = new Set(['.ini', '.yml', '.yaml', '.json']);

export interface ReadHostsOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The hosts `--hosts ARGUMENT` names, read and checked before any work. */
export function readHosts(argument: string, options: ReadHostsOptions): HostBook {
  if (argument.startsWith(ANSIBLE_PREFIX)) {
    const pattern = argument.slice(ANSIBLE_PREFIX.length) || 'all';
    return inventoryBook(undefined, pattern, argument, options);
  }
  const path = resolve(options.cwd, argument);
  const found = statSync(path, { throwIfNoEntry: false });
  if (!found) throw new BatonError('FILE_NOT_FOUND', `hosts file ${path} does not exist`, { file: path });
  if (found.isDirectory() || isInventory(path)) return inventoryBook(path, undefined, path, options);
  return readHostsFile(path, options.env);
}

/** Whether a file is an Ansible inventory rather than a Baton hosts file (rules 2 and 3 above). */
export function isInventory(path: string): boolean {
  if (INVENTORY_EXTENSIONS.has(extname(path).toLowerCase())) return true;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  const lines = text.split('\n').map((line) => line.trim());
  const first = lines.find((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'));
  if (first === undefined) return false;
  if (first.startsWith('[') || first === '---' || /^[\w.-]+:\s*(#.*)?$/.test(first)) return true;
  return lines.some((line) => !line.startsWith('#') && /(^|\s)ansible_\w+=/.test(line));
}

function inventoryBook(
  inventory: string | undefined,
  pattern: string | undefined,
  source: string,
  options: ReadHostsOptions,
): HostBook {
  const json = listInventory(inventory, options);
  const selected = pattern === undefined ? undefined : selectHosts(pattern, groupMembers(json), source);
  const resolved = mapInventory(json, { source, cwd: options.cwd, env: options.env }, selected);
  const named = new Map<string, HostSpec>(resolved.hosts.map((host) => [host.name, host.spec]));
  const ignored = Object.fromEntries(resolved.hosts.map((host) => [host.name, host.ignored]));
  return new HostBook(named, resolved.groups, { source, ignored });
}
