// Whole-inventory checks a playbook names under `preflight:`: their contract and the registry plugins fill at start-up.
import { hostVars, type VarScope } from '../load/vars.ts';
import { resolveVars } from '../load/var-references.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Inventory, Playbook, Vars, Where } from '../shared/types.ts';

/** What every preflight check receives: the inventory, each host's fully resolved variables, its own arguments. */
export interface PreflightContext {
  inventory: Inventory;
  hosts: Map<string, Vars>;
  args: Vars;
  where: Where;
}

/** A check throws ValidationError listing every problem, or returns warnings. */
export type PreflightCheck = (ctx: PreflightContext) => string[];

/** Checks by name, as playbooks list them under `preflight:` (filled by registerPreflightChecks). */
export const preflightChecks: Record<string, PreflightCheck> = {};

/**
 * Adds a plugin's checks (the RocketMQ plugin: lib/modules/index.ts installs it).
 * @throws Error when a name is taken: two plugins must not answer to one name
 */
export function registerPreflightChecks(checks: Record<string, PreflightCheck>): void {
  for (const [name, check] of Object.entries(checks)) {
    if (preflightChecks[name] !== undefined && preflightChecks[name] !== check)
      throw new Error(`preflight check "${name}" is registered twice`);
    preflightChecks[name] = check;
  }
}

/**
 * Runs every `preflight:` check of the playbook over the whole inventory of the run's variable scope.
 * @returns the checks' warnings
 */
export function runPreflight(scope: VarScope, playbook: Playbook): string[] {
  if (playbook.preflight.length === 0) return [];
  const { inventory } = scope;
  const hosts = new Map(
    [...inventory.hosts.values()].map(
      (h) => [h.name, resolveVars(hostVars(scope, h.name), undefined, h.sources)] as const,
    ),
  );
  return playbook.preflight.flatMap((spec) => {
    const check = preflightChecks[spec.check];
    if (!check)
      throw new ValidationError(
        `unknown preflight check "${spec.check}" (known: ${Object.keys(preflightChecks).join(', ')})`,
        spec.where,
      );
    return check({ inventory, hosts, args: spec.args, where: spec.where });
  });
}
