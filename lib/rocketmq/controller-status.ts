// `status` in controller mode: a group without master gets a problem line saying why when the controllers' record is
// stale (controller-explain.ts); the controllers are the ones the broker role gives the brokers (controllerAddr).
import { join } from 'node:path';
import { loadInventory } from '../load/inventory.ts';
import { modules } from '../modules/index.ts';
import { loadRole } from '../load/roles.ts';
import type { Vars } from '../shared/types.ts';
import { hostVars, varScope } from '../load/vars.ts';
import { resolveVars } from '../load/var-references.ts';
import { explainNoMaster } from './controller-explain.ts';
import type { RequestHook } from './remoting/client.ts';
import type { ClusterStatus, StatusRead } from './topics-status.ts';

/**
 * The brokers' controllerAddr as the broker role derives it for the first broker host; [] without controllers.
 * @example statusControllers('inventory/local', '.', {}) // => ['127.0.0.1:9878', '127.0.0.1:9868', '127.0.0.1:9858']
 */
export function statusControllers(
  inventoryDir: string,
  projectRoot: string,
  extraVars: Vars,
): string[] {
  const inventory = loadInventory(inventoryDir);
  const broker = [...inventory.hosts.values()].find((h) => h.groups.includes('brokers'));
  if (!broker) return [];
  const where = { file: inventoryDir, line: 1, col: 1 };
  const role = loadRole(join(projectRoot, 'roles'), 'broker', modules, where);
  const vars = resolveVars(
    hostVars(varScope(inventory, extraVars), broker.name, { roleDefaults: role.defaults }),
    where,
    broker.sources,
  );
  return String(vars.broker_controller_addr ?? '')
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
}

export interface StatusGroups {
  namesrvs: string[];
  controllers: string[];
  cluster: string;
  members: Array<{ broker: string; addr: string }>;
  hook?: RequestHook | undefined;
}

/** One problem line per declared group that has no master because of stale controller metadata (or whose record cannot be read). */
export async function controllerProblems(q: StatusGroups): Promise<string[]> {
  if (q.controllers.length === 0) return [];
  const out: string[] = [];
  for (const broker of [...new Set(q.members.map((m) => m.broker))].sort()) {
    const declared = q.members.filter((m) => m.broker === broker).map((m) => m.addr);
    const why = await explainNoMaster({
      namesrvs: q.namesrvs,
      controllers: q.controllers,
      cluster: q.cluster,
      broker,
      declared,
      hook: q.hook,
    });
    if (why !== '') out.push(why);
  }
  return out;
}

/** Declared members of the groups in controller mode: a member that answered reports enableControllerMode=true. */
export function controllerModeMembers<M extends { broker: string; addr: string }>(
  read: StatusRead,
  members: M[],
): M[] {
  const on = new Set(
    members
      .filter(
        (m) => read.members.find((r) => r.addr === m.addr)?.config?.enableControllerMode === 'true',
      )
      .map((m) => m.broker),
  );
  return members.filter((m) => on.has(m.broker));
}

/** The status with the controller problems added (not ok when there are any). */
export function withControllerProblems(status: ClusterStatus, problems: string[]): ClusterStatus {
  return problems.length === 0
    ? status
    : { ...status, ok: false, problems: [...status.problems, ...problems] };
}
