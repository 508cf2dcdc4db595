// Test helper: a host's variables as the broker phase sees them (role defaults < inventory < play vars), resolved.
import { readYaml } from '../../../lib/yaml.ts';
import { loadInventory } from '../../../lib/inventory.ts';
import { hostVars, resolveVars } from '../../../lib/vars.ts';
import type { Inventory, Vars } from '../../../lib/types.ts';

export function roleDefaults(role: string): Vars {
  return (readYaml(`roles/${role}/defaults/main.yaml`).data ?? {}) as Vars;
}

/** Resolved variables of `host` in a phase running `role` with `playVars`. */
export function phaseVars(inventory: Inventory | string, host: string, role: string, playVars: Vars = {}): Vars {
  const inv = typeof inventory === 'string' ? loadInventory(inventory) : inventory;
  return resolveVars(hostVars(inv, host, { roleDefaults: roleDefaults(role), playVars }), undefined, inv.hosts.get(host)?.sources);
}
