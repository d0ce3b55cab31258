/**
 * The ansible-inventory adapter (the only place that runs it): `ansible-inventory --list [-i INVENTORY]`,
 * its JSON parsed, its failures as Baton errors naming the inventory (ANSIBLE_NOT_INSTALLED when the
 * program is missing, ANSIBLE_INVENTORY_INVALID with its own message when it cannot read the inventory).
 */
import { spawnSync } from 'node:child_process';
import { BatonError } from '../errors.ts';
import type { InventoryJson } from './inventory.ts';

export const ANSIBLE_INVENTORY = 'ansible-inventory';

const TIMEOUT_MS = 120_000;

/** The inventory as `ansible-inventory --list` gives it; `inventory` undefined: Ansible's configured one. */
export function listInventory(
  inventory: string | undefined,
  options: { cwd: string; env: Record<string, string | undefined> },
): InventoryJson {
  const source = inventory ?? "Ansible's configured inventory";
  const result = spawnSync(
    ANSIBLE_INVENTORY,
    ['--list', ...(inventory === undefined ? [] : ['-i', inventory])],
    {
      cwd: options.cwd,
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      maxBuffer: 256 * 1024 * 1024,
      // An inventory no plugin can parse fails instead of giving an empty one; no colours in its messages.
      env: {
        ...options.env,
        ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
      },
    },
  );
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT')
    throw new BatonError(
      'ANSIBLE_NOT_INSTALLED',
      `reading ${source} needs ${ANSIBLE_INVENTORY}, which is not installed: install Ansible (Debian and Ubuntu: apt-get install ansible-core; else pip install ansible-core)`,
      inventory === undefined ? {} : { file: inventory },
    );
  if (error || result.status !== 0) {
    throw new BatonError(
      'ANSIBLE_INVENTORY_INVALID',
      `${ANSIBLE_INVENTORY} cannot read ${source}: ${error ? error.message : complaint(result.stderr)}`,
      inventory === undefined ? {} : { file: inventory },
    );
  }
  try {
    return JSON.parse(result.stdout) as InventoryJson;
  } catch (parseError) {
    throw new BatonError(
      'ANSIBLE_INVENTORY_INVALID',
      `${ANSIBLE_INVENTORY} gave no JSON for ${source}`,
      inventory === undefined ? {} : { file: inventory },
      { cause: parseError },
    );
  }
}

/** What ansible-inventory said, on one line: its parse failures, then its ERROR, without its wrapping. */
function complaint(stderr: string): string {
  const messages = stderr
    .replace(/\n(?!\[WARNING\]|ERROR!)/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => /Failed to parse|ERROR!/.test(line))
    .map((line) => line.replace(/^\[WARNING\]:\s*\*?\s*|^ERROR!\s*/, ''));
  return [...new Set(messages)].join('; ') || stderr.trim() || 'it failed';
}
