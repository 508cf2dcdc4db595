// Inventory variables that no role reads but that are one typo away from one that does ("broker_heep" → broker_heap).
import { formatWhere } from '../shared/errors.ts';
import { suggest } from '../shared/suggest.ts';
import type { Role } from '../load/roles.ts';
import type { Inventory, Playbook } from '../shared/types.ts';

/**
 * One warning per place (file:line:col) that sets a variable no role of the playbook declares in its defaults while a
 * declared one is a near miss: such a value is silently unused and the role keeps its default.
 * @param known variables the playbook's roles declare (their defaults' names) and play vars
 * @example nearMissWarnings(inventory, ['broker_heap']) // => ['…/group_vars/brokers.yaml:3:1: variable broker_heep …']
 */
export function nearMissWarnings(inventory: Inventory, known: ReadonlySet<string>): string[] {
  const nearOf = new Map<string, string | undefined>();
  const warned = new Set<string>();
  const warnings: string[] = [];
  for (const host of inventory.hosts.values()) {
    for (const name of Object.keys(host.vars)) {
      if (known.has(name) || name.startsWith('ansible_')) continue;
      if (!nearOf.has(name)) nearOf.set(name, suggest(name, known));
      const near = nearOf.get(name);
      const where = host.sources[name];
      if (near === undefined || where === undefined) continue;
      const place = formatWhere(where);
      if (warned.has(`${place}\0${name}`)) continue;
      warned.add(`${place}\0${name}`);
      warnings.push(
        `${place}: variable ${name} is not used by any role of this playbook (the role keeps its default); did you mean ${near}?`,
      );
    }
  }
  return warnings;
}

/**
 * Variables the playbook declares: its roles' defaults, role-scoped vars and play vars.
 * @example playbookVariables(playbook, roles).has('broker_heap') // => true
 */
export function playbookVariables(
  playbook: Playbook,
  roles: ReadonlyMap<string, Pick<Role, 'defaults'>>,
): Set<string> {
  const names = new Set<string>();
  for (const phase of playbook.phases) {
    for (const n of Object.keys(phase.vars)) names.add(n);
    for (const ref of phase.roles) {
      for (const n of Object.keys(roles.get(ref.name)?.defaults ?? {})) names.add(n);
      for (const n of Object.keys(ref.vars)) names.add(n);
    }
  }
  return names;
}
