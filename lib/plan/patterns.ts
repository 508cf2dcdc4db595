// Ansible host patterns ("brokers:&prod:!mq3", "broker*") → host names in inventory order.
import { ValidationError } from '../shared/errors.ts';
import { didYouMean } from '../shared/suggest.ts';
import type { Inventory, Where } from '../shared/types.ts';

const GLOB_CHARS = /[*?[]/;

/**
 * Selects the hosts a phase's `hosts:` pattern names.
 * Terms are separated by ":" or ","; plain terms are unions, "&term" intersects, "!term" excludes.
 * As in Ansible, unions apply first, then intersections, then exclusions; with no plain term the start is "all".
 * @param where position of the pattern in the playbook, for the error message
 * @param optional group names the inventory may lack (the playbook's optional_groups): such a term matches nothing
 * @returns host names in inventory order (possibly empty when an intersection leaves nothing)
 * @throws ValidationError when a term matches no group, no host and no glob
 * @example selectHosts(inv, 'brokers:&prod:!mq3')
 */
export function selectHosts(
  inv: Inventory,
  pattern: string,
  where?: Where,
  optional: readonly string[] = [],
): string[] {
  const terms = pattern
    .split(/[:,]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (terms.length === 0)
    throw new ValidationError('empty hosts pattern; name a group, a host or "all"', where);
  if (inv.hosts.size === 0)
    throw new ValidationError(
      `the inventory ${inv.dir} has no hosts; add them to its hosts file under "all: hosts:" or a group's "hosts:"`,
      where,
    );
  const unions = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const intersections = terms.filter((t) => t.startsWith('&')).map((t) => t.slice(1));
  const exclusions = terms.filter((t) => t.startsWith('!')).map((t) => t.slice(1));
  const selected = new Set<string>();
  for (const term of unions.length > 0 ? unions : ['all'])
    for (const host of matchTerm(inv, term, where, optional)) selected.add(host);
  for (const term of intersections) {
    const keep = new Set(matchTerm(inv, term, where, optional));
    for (const host of [...selected]) if (!keep.has(host)) selected.delete(host);
  }
  for (const term of exclusions)
    for (const host of matchTerm(inv, term, where, optional)) selected.delete(host);
  return [...inv.hosts.keys()].filter((host) => selected.has(host));
}

/** Hosts one term names: "all"/"*", a group (with its child groups), a host, or a glob over both. */
function matchTerm(
  inv: Inventory,
  term: string,
  where: Where | undefined,
  optional: readonly string[],
): string[] {
  if (term === 'all' || term === '*') return [...inv.hosts.keys()];
  if (inv.groups.has(term)) return hostsInGroup(inv, term);
  if (inv.hosts.has(term)) return [term];
  if (optional.includes(term)) return [];
  if (GLOB_CHARS.test(term)) {
    const re = globToRegExp(term);
    const groups = [...inv.groups.keys()].filter((g) => re.test(g));
    const hosts = [...inv.hosts.keys()].filter((h) => re.test(h));
    if (groups.length + hosts.length > 0)
      return [...hosts, ...groups.flatMap((g) => hostsInGroup(inv, g))];
    throw new ValidationError(
      `hosts pattern "${term}" matches no group or host (groups: ${listGroups(inv)})`,
      where,
    );
  }
  const near = didYouMean(term, [...inv.groups.keys(), ...inv.hosts.keys()]);
  throw new ValidationError(
    `unknown group or host "${term}" in hosts pattern${near} (groups: ${listGroups(inv)})`,
    where,
  );
}

/** Host.groups already holds every group a host belongs to through children, so membership is one lookup. */
function hostsInGroup(inv: Inventory, group: string): string[] {
  return [...inv.hosts.values()].filter((h) => h.groups.includes(group)).map((h) => h.name);
}

function listGroups(inv: Inventory): string {
  return [...inv.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped').join(', ');
}

/** Shell-style glob: "*" any run, "?" one character, "[ab]" a class; everything else literal. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
