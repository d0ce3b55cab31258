/**
 * Ansible host patterns (the PATTERN of `ansible://PATTERN`): terms separated by `:` or `,`; a term is a group
 * or host name, `all` or `*`, or a name with `*` wildcards; `&term` keeps only hosts also in it, `!term`
 * removes its hosts. As Ansible, plain terms are joined first, then intersections, then exclusions; hosts
 * keep inventory order. Regular expressions (`~`) and subscripts (`[0:2]`) are refused.
 */
import { BatonError } from '../errors.ts';

export function selectHosts(pattern: string, groups: Map<string, string[]>, source: string): string[] {
  const all = groups.get('all') ?? [];
  const terms = pattern.split(/[:,]/).filter((term) => term !== '');
  if (terms.length === 0) throw bad(`empty host pattern in ${source}`);
  const hostsOf = (term: string): Set<string> => {
    if (term.startsWith('~') || /\[.*\]/.test(term))
      throw bad(`host pattern ${term}: regular expressions and subscripts are not supported (${source})`);
    if (term === 'all' || term === '*') return new Set(all);
    const match = wildcard(term);
    const found = new Set<string>();
    for (const [group, members] of groups) if (match(group)) for (const host of members) found.add(host);
    for (const host of all) if (match(host)) found.add(host);
    return found;
  };
  const plain = terms.filter((term) => !term.startsWith('&') && !term.startsWith('!'));
  const selected = new Set<string>();
  for (const term of plain) for (const host of hostsOf(term)) selected.add(host);
  for (const term of terms.filter((term) => term.startsWith('&'))) {
    const keep = hostsOf(term.slice(1));
    for (const host of [...selected]) if (!keep.has(host)) selected.delete(host);
  }
  for (const term of terms.filter((term) => term.startsWith('!')))
    for (const host of hostsOf(term.slice(1))) selected.delete(host);
  const result = all.filter((host) => selected.has(host));
  if (result.length === 0) throw bad(`no host of ${source} matches the pattern ${pattern}`);
  return result;
}

function wildcard(term: string): (name: string) => boolean {
  if (!term.includes('*')) return (name) => name === term;
  const regex = new RegExp(`^${term.split('*').map(escape).join('.*')}$`);
  return (name) => regex.test(name);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function bad(message: string): BatonError {
  return new BatonError('ANSIBLE_INVENTORY_INVALID', message);
}
