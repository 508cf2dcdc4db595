// Loads one environment's inventory folder: hosts.yaml (Ansible YAML shape) plus group_vars/ and host_vars/.
//
// Variable precedence for a host, lowest first (shallow: a later value replaces the whole key):
//   1. group "all"            (vars in hosts.yaml, then group_vars/all.yaml or group_vars/all/*.yaml)
//   2. other groups by depth  (a parent before its children; groups at the same depth in ASCII order;
//                              each group: hosts.yaml vars, then its group_vars file(s))
//   3. the host itself        (inline vars in hosts.yaml in order of appearance, then host_vars/<host>.yaml)
// Host.sources records the file:line:col of each winning value.
import { basename } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import type { Group, Host, Inventory, Vars, Where } from '../shared/types.ts';
import { readYaml } from './yaml.ts';
import { parseAt } from '../shared/schema.ts';
import { type GroupFields, inventoryFormat } from './formats/inventory-format.ts';
import { locateInventory } from './inventory-locate.ts';
import { loadVarsFiles } from './inventory-vars-files.ts';
import type { LoadedYaml } from './yaml.ts';

export { locateInventory };
type Path = Array<string | number>;

/** Mutable state while reading one inventory; turned into an Inventory at the end. */
interface Tree {
  groups: Map<string, Group>;
  groupVarWhere: Map<string, Record<string, Where>>;
  parents: Map<string, string[]>;
  edgeWhere: Map<string, Where>;
  hostOrder: string[];
  hostVars: Map<string, { vars: Vars; where: Record<string, Where> }>;
  /** Host → groups that list it directly, in order (one lookup instead of a search through every group). */
  memberOf: Map<string, string[]>;
}

/**
 * Loads the inventory of one environment folder (e.g. `inventory/prod`), or of one hosts file: `-i inventory/prod/hosts.yaml`
 * (an Ansible habit) reads that file, with group_vars/ and host_vars/ beside it; the folder is the environment.
 * @param path folder holding hosts.yaml (or hosts.yml), group_vars/ and host_vars/; or a hosts file
 * @returns groups and hosts with variables merged by precedence; `env` is the folder's base name
 * @throws ConfigError for missing, ambiguous, non-regular or unparsable files; ValidationError (file:line:col) for shape
 *   errors, cyclic children, and group_vars/host_vars files naming an unknown group or host
 * @example loadInventory('inventory/prod').hosts.get('mq1')?.vars
 */
export function loadInventory(path: string): Inventory {
  const { dir, file } = locateInventory(path);
  const tree: Tree = {
    groups: new Map(),
    groupVarWhere: new Map(),
    parents: new Map(),
    edgeWhere: new Map(),
    hostOrder: [],
    hostVars: new Map(),
    memberOf: new Map(),
  };
  const y = readYaml(file);
  readTop(y, tree);
  rejectCycles(tree);
  rejectHostGroupClash(tree);
  addUngrouped(tree, y);
  loadVarsFiles(dir, 'group_vars', tree.groups, (name, vars, where) =>
    mergeInto(groupOf(tree, name).vars, tree.groupVarWhere.get(name)!, vars, where),
  );
  loadVarsFiles(dir, 'host_vars', tree.hostVars, (name, vars, where) =>
    mergeInto(tree.hostVars.get(name)!.vars, tree.hostVars.get(name)!.where, vars, where),
  );
  return { dir, env: basename(dir), groups: tree.groups, hosts: buildHosts(tree) };
}

function readTop(y: LoadedYaml, tree: Tree): void {
  const top = parseAt(inventoryFormat, y, [], y.data ?? {});
  ensureGroup(tree, 'all', y.locate([]));
  for (const [name, value] of Object.entries(top))
    readGroup(y, tree, name, value, [name], name === 'all' ? undefined : 'all');
}

function readGroup(
  y: LoadedYaml,
  tree: Tree,
  name: string,
  value: GroupFields | null | undefined,
  path: Path,
  parent: string | undefined,
): void {
  const group = ensureGroup(tree, name, y.locateKey(path));
  if (parent) linkChild(tree, parent, name, y.locateKey(path));
  for (const [host, vars] of Object.entries(value?.hosts ?? {}))
    readHost(y, tree, group, host, vars, [...path, 'hosts', host]);
  mergeInto(group.vars, tree.groupVarWhere.get(name)!, value?.vars ?? {}, (key) =>
    y.locate([...path, 'vars', key]),
  );
  for (const [child, childValue] of Object.entries(value?.children ?? {}))
    readGroup(y, tree, child, childValue, [...path, 'children', child], name);
}

function readHost(
  y: LoadedYaml,
  tree: Tree,
  group: Group,
  host: string,
  vars: Vars | null | undefined,
  path: Path,
): void {
  if (!tree.hostVars.has(host)) {
    tree.hostOrder.push(host);
    tree.hostVars.set(host, { vars: {}, where: {} });
    tree.memberOf.set(host, []);
  }
  const memberOf = tree.memberOf.get(host)!;
  if (!memberOf.includes(group.name)) {
    memberOf.push(group.name);
    group.hosts.push(host);
  }
  if (vars === null || vars === undefined) return;
  const entry = tree.hostVars.get(host)!;
  mergeInto(entry.vars, entry.where, vars, (key) => y.locate([...path, key]));
}

function ensureGroup(tree: Tree, name: string, where: Where): Group {
  let group = tree.groups.get(name);
  if (!group) {
    group = { name, hosts: [], children: [], vars: {}, where };
    tree.groups.set(name, group);
    tree.groupVarWhere.set(name, {});
    tree.parents.set(name, []);
  }
  return group;
}

function groupOf(tree: Tree, name: string): Group {
  return tree.groups.get(name)!;
}

function linkChild(tree: Tree, parent: string, child: string, where: Where): void {
  const edge = `${parent}\u0000${child}`;
  if (tree.edgeWhere.has(edge)) return;
  groupOf(tree, parent).children.push(child);
  tree.parents.get(child)!.push(parent);
  tree.edgeWhere.set(edge, where);
}

function mergeInto(
  target: Vars,
  targetWhere: Record<string, Where>,
  vars: Vars,
  where: (key: string) => Where,
): void {
  for (const [key, value] of Object.entries(vars)) {
    target[key] = value;
    targetWhere[key] = where(key);
  }
}

/** Depth-first search over children; a group met again on the current path closes a cycle. */
function rejectCycles(tree: Tree): void {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (done.has(name)) return;
    for (const child of groupOf(tree, name).children) {
      if (path.includes(child)) {
        const cycle = [...path.slice(path.indexOf(child)), child].join(' → ');
        throw new ValidationError(
          `cyclic group children: ${cycle}; remove one of these "children" entries`,
          tree.edgeWhere.get(`${name}\u0000${child}`),
        );
      }
      visit(child, [...path, child]);
    }
    done.add(name);
  };
  for (const name of tree.groups.keys()) visit(name, [name]);
}

function rejectHostGroupClash(tree: Tree): void {
  const clash = tree.hostOrder.find((host) => tree.groups.has(host));
  if (clash)
    throw new ValidationError(
      `"${clash}" is both a host and a group; rename one so host patterns stay unambiguous`,
      groupOf(tree, clash).where,
    );
}

/** Hosts that belong to no group except "all" form the implicit group "ungrouped", as in Ansible. */
function addUngrouped(tree: Tree, y: LoadedYaml): void {
  ensureGroup(tree, 'ungrouped', y.locate([]));
  linkChild(tree, 'all', 'ungrouped', y.locate([]));
  const ungrouped = groupOf(tree, 'ungrouped');
  for (const host of tree.hostOrder) {
    const memberOf = tree.memberOf.get(host)!;
    if (
      memberOf.every((g) => g === 'all' || g === 'ungrouped') &&
      !memberOf.includes('ungrouped')
    ) {
      ungrouped.hosts.push(host);
      memberOf.push('ungrouped');
    }
  }
}

/** Longest path from "all": a child is always deeper than each of its parents. */
function depthOf(tree: Tree, name: string, memo: Map<string, number>): number {
  const known = memo.get(name);
  if (known !== undefined) return known;
  const parents = tree.parents.get(name) ?? [];
  const depth =
    parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => depthOf(tree, p, memo)));
  memo.set(name, depth);
  return depth;
}

function ancestorsOf(tree: Tree, name: string, into: Set<string>): Set<string> {
  into.add(name);
  for (const parent of tree.parents.get(name) ?? [])
    if (!into.has(parent)) ancestorsOf(tree, parent, into);
  return into;
}

function buildHosts(tree: Tree): Map<string, Host> {
  const memo = new Map<string, number>();
  const byPrecedence = (a: string, b: string) =>
    depthOf(tree, a, memo) - depthOf(tree, b, memo) || (a < b ? -1 : a > b ? 1 : 0);
  const hosts = new Map<string, Host>();
  for (const name of tree.hostOrder) {
    const member = new Set<string>(['all']);
    for (const group of tree.memberOf.get(name)!) ancestorsOf(tree, group, member);
    const groups = [...member].sort(byPrecedence);
    const vars: Vars = {};
    const sources: Record<string, Where> = {};
    for (const group of groups)
      mergeInto(
        vars,
        sources,
        groupOf(tree, group).vars,
        (key) => tree.groupVarWhere.get(group)![key]!,
      );
    const own = tree.hostVars.get(name)!;
    mergeInto(vars, sources, own.vars, (key) => own.where[key]!);
    hosts.set(name, { name, groups, vars, sources });
  }
  return hosts;
}
