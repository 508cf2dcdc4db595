// Test helper: a host's variables as the broker phase sees them (role defaults < inventory < play vars), resolved.
import { readYaml } from '../../../lib/load/yaml.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { modules } from '../../../lib/modules/index.ts';
import { knownModuleNames } from '../../../lib/load/task-list.ts';
import { loadRole } from '../../../lib/load/roles.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';
import type { Inventory, Vars } from '../../../lib/shared/types.ts';

/** A role's defaults as the runner sees them: its meta dependencies' defaults (roles/rocketmq-common) under its own. */
export function roleDefaults(role: string): Vars {
  return loadRole('roles', role, knownModuleNames(modules), {
    file: `roles/${role}`,
    line: 1,
    col: 1,
  }).defaults;
}

/** Only the defaults written in the role's own defaults/main.yaml. */
export function ownDefaults(role: string): Vars {
  return (readYaml(`roles/${role}/defaults/main.yaml`).data ?? {}) as Vars;
}

/** Resolved variables of `host` in a phase running `role` with `playVars`. */
export function phaseVars(
  inventory: Inventory | string,
  host: string,
  role: string,
  playVars: Vars = {},
): Vars {
  const inv = typeof inventory === 'string' ? loadInventory(inventory) : inventory;
  return resolveVars(
    hostVars(varScope(inv), host, { roleDefaults: roleDefaults(role), playVars }),
    undefined,
    inv.hosts.get(host)?.sources,
  );
}
