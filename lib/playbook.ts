// Loads and validates a playbook: preflight checks and phases, with role tasks and handlers expanded in.
import { basename, extname } from 'node:path';
import { ValidationError } from './errors.ts';
import { loadRole } from './roles.ts';
import type { PhaseSpec, Playbook, PreflightSpec, RoleRef, TaskSpec, Vars, Where } from './types.ts';
import { expectBool, expectInt, expectString, expectStringList } from './validate.ts';
import { readYaml } from './yaml.ts';
import type { LoadedYaml } from './yaml.ts';

/** Known module names, as a list or as the module registry itself. */
export type ModuleNames = readonly string[] | ReadonlyMap<string, unknown>;

export interface LoadPlaybookOptions {
  rolesDir: string;
  modules: ModuleNames;
}

type Path = Array<string | number>;
const TOP_KEYS = ['name', 'preflight', 'phases'];
const PHASE_KEYS = ['name', 'hosts', 'roles', 'tasks', 'handlers', 'vars', 'tags', 'serial', 'forks', 'max_fail_percentage'];
const TASK_KEYS = ['name', 'notify', 'tags', 'when', 'become', 'changed_when', 'loop', 'loop_control'];
/** Where each task wrote `notify`, so an unknown handler is reported at that line. */
const notifyWhere = new WeakMap<TaskSpec, Where>();

export function moduleNames(modules: ModuleNames): string[] {
  return Array.isArray(modules) ? [...modules] : [...(modules as ReadonlyMap<string, unknown>).keys()];
}

/**
 * Loads a playbook: a YAML list of phases, or `{ name, preflight: [{ check, …args }], phases: [...] }`.
 * Each phase's role tasks come first (role order), then its own tasks; handlers likewise.
 * @throws ConfigError for unreadable YAML; ValidationError at file:line:col for unknown keys, wrong types,
 *   unknown modules or roles, and `notify` naming no handler of the phase
 * @example loadPlaybook('playbooks/2m2s-sync.yaml', { rolesDir: 'roles', modules: registry })
 */
export function loadPlaybook(file: string, opts: LoadPlaybookOptions): Playbook {
  const y = readYaml(file);
  const names = moduleNames(opts.modules);
  const data = y.data;
  const top: Vars = Array.isArray(data) ? { phases: data } : data !== null && typeof data === 'object' ? (data as Vars) : {};
  if (!Array.isArray(data)) {
    if (typeof data !== 'object' || data === null) throw new ValidationError('a playbook must be a list of phases or a mapping with "phases:"', y.locate([]));
    rejectUnknown(y, top, [], TOP_KEYS, 'playbook');
  }
  const phasesPath: Path = Array.isArray(data) ? [] : ['phases'];
  const phases = expectList(y, top.phases, phasesPath, 'phases');
  if (phases.length === 0) throw new ValidationError('the playbook has no phases', y.locate(phasesPath));
  return {
    file,
    name: top.name === undefined ? basename(file, extname(file)) : expectString(top.name, 'name', y.locate(['name'])),
    preflight: expectList(y, top.preflight ?? [], ['preflight'], 'preflight').map((item, i) => parsePreflight(y, item, ['preflight', i])),
    phases: phases.map((_, i) => parsePhase(y, [...phasesPath, i], names, opts.rolesDir)),
  };
}

function parsePreflight(y: LoadedYaml, value: unknown, path: Path): PreflightSpec {
  const map = expectMapAt(y, value, path, 'a preflight entry');
  const { check, ...args } = map;
  if (check === undefined) throw new ValidationError('a preflight entry needs "check: <name>"', y.locate(path));
  return { check: expectString(check, 'check', y.locate([...path, 'check'])), args, where: y.locate(path) };
}

function parsePhase(y: LoadedYaml, path: Path, names: string[], rolesDir: string): PhaseSpec {
  const map = expectMapAt(y, valueAt(y, path), path, 'a phase');
  rejectUnknown(y, map, path, PHASE_KEYS, 'phase');
  const at = (key: string) => y.locate([...path, key]);
  if (map.hosts === undefined) throw new ValidationError('a phase needs "hosts:" (a group, a host or a pattern such as "brokers:!mq3")', y.locate(path));
  const hosts = expectString(map.hosts, 'hosts', at('hosts'));
  const roles = expectList(y, map.roles ?? [], [...path, 'roles'], 'roles').map((_, i) => parseRoleRef(y, [...path, 'roles', i]));
  const loaded = roles.map((ref) => loadRole(rolesDir, ref.name, names, ref.where));
  const phase: PhaseSpec = {
    name: map.name === undefined ? hosts : expectString(map.name, 'name', at('name')),
    hosts,
    roles,
    tasks: [...loaded.flatMap((r) => r.tasks), ...parseTaskList(y, map.tasks ?? [], [...path, 'tasks'], names)],
    handlers: [...loaded.flatMap((r) => r.handlers), ...parseTaskList(y, map.handlers ?? [], [...path, 'handlers'], names)],
    vars: map.vars === undefined ? {} : expectMapAt(y, map.vars, [...path, 'vars'], '"vars"'),
    tags: expectStringList(map.tags, 'tags', at('tags')),
    where: y.locate(path),
  };
  if (map.serial !== undefined) phase.serial = expectInt(map.serial, 'serial', at('serial'), 1);
  if (map.forks !== undefined) phase.forks = expectInt(map.forks, 'forks', at('forks'), 1);
  if (map.max_fail_percentage !== undefined) phase.maxFailPercentage = expectInt(map.max_fail_percentage, 'max_fail_percentage', at('max_fail_percentage'), 0, 100);
  rejectUnknownHandlers(phase);
  return phase;
}

/** `- broker`, `- { role: broker, vars: {...} }` or `- { role: broker, brokerRole: SYNC_MASTER }`. */
function parseRoleRef(y: LoadedYaml, path: Path): RoleRef {
  const value = valueAt(y, path);
  const where = y.locate(path);
  if (typeof value === 'string') return { name: value, vars: {}, where };
  const map = expectMapAt(y, value, path, 'a role entry (a name or "{ role: name, vars: {...} }")');
  const { role, vars, ...inline } = map;
  if (role === undefined) throw new ValidationError('a role entry needs "role: <name>"', where);
  const name = expectString(role, 'role', y.locate([...path, 'role']));
  const own = vars === undefined ? {} : expectMapAt(y, vars, [...path, 'vars'], '"vars"');
  return { name, vars: { ...inline, ...own }, where };
}

function rejectUnknownHandlers(phase: PhaseSpec): void {
  const seen = new Set<string>();
  for (const ref of phase.roles) {
    if (seen.has(ref.name)) throw new ValidationError(`role "${ref.name}" is listed twice in phase "${phase.name}"; list it once`, ref.where);
    seen.add(ref.name);
  }
  const handlers = new Set(phase.handlers.map((h) => h.name));
  for (const task of [...phase.tasks, ...phase.handlers]) {
    const unknown = task.notify.find((n) => !handlers.has(n));
    if (unknown !== undefined) {
      throw new ValidationError(
        `task "${task.name}" notifies "${unknown}", which is not a handler of phase "${phase.name}" (handlers: ${[...handlers].join(', ') || 'none'})`,
        notifyWhere.get(task) ?? task.where,
      );
    }
  }
}

/**
 * Parses a list of tasks (a phase's tasks or handlers, or a role's tasks/main.yaml).
 * @param value the list itself; `path` is where it sits in `y`
 * @throws ValidationError at the offending key for unknown modules, unknown keys and wrong types
 */
export function parseTaskList(y: LoadedYaml, value: unknown, path: Path, names: readonly string[], role?: string): TaskSpec[] {
  return expectList(y, value, path, 'tasks').map((item, i) => parseTask(y, item, [...path, i], names, role));
}

function parseTask(y: LoadedYaml, value: unknown, path: Path, names: readonly string[], role: string | undefined): TaskSpec {
  const map = expectMapAt(y, value, path, 'a task');
  const at = (key: string) => y.locate([...path, key]);
  const module = moduleKeyOf(y, map, path, names);
  const task: TaskSpec = {
    name: map.name === undefined ? defaultName(module, map[module]) : expectString(map.name, 'name', at('name')),
    module,
    args: moduleArgs(y, module, map[module], [...path, module]),
    where: y.locate(path),
    notify: expectStringList(map.notify, 'notify', at('notify')),
    tags: expectStringList(map.tags, 'tags', at('tags')),
  };
  if (role !== undefined) task.role = role;
  if (map.when !== undefined) task.when = conditionText(map.when, 'when', at('when'));
  if (map.become !== undefined) task.become = expectBool(map.become, 'become', at('become'));
  if (map.changed_when !== undefined) task.changedWhen = conditionText(map.changed_when, 'changed_when', at('changed_when'));
  if (map.loop !== undefined) task.loop = expectLoop(map.loop, at('loop'));
  if (map.loop_control !== undefined) task.loopLabel = loopLabelOf(y, map, [...path, 'loop_control']);
  if (map.notify !== undefined) notifyWhere.set(task, at('notify'));
  return task;
}

/** Exactly one key of a task that is not a task keyword names its module. */
function moduleKeyOf(y: LoadedYaml, map: Vars, path: Path, names: readonly string[]): string {
  const candidates = Object.keys(map).filter((k) => !TASK_KEYS.includes(k));
  const known = candidates.filter((k) => names.includes(k));
  const unknown = candidates.find((k) => !names.includes(k));
  const list = [...names].sort().join(', ');
  if (unknown !== undefined && known.length === 0) throw new ValidationError(`unknown module "${unknown}" (known: ${list})`, y.locateKey([...path, unknown]));
  if (unknown !== undefined) throw new ValidationError(`task: unknown key "${unknown}" (task keys: ${TASK_KEYS.join(', ')}, and one module)`, y.locateKey([...path, unknown]));
  if (known.length === 0) throw new ValidationError(`task has no module; add one of: ${list}`, y.locate(path));
  if (known.length > 1) throw new ValidationError(`task has two modules, "${known[0]}" and "${known[1]}"; split it into two tasks`, y.locateKey([...path, known[1]!]));
  return known[0]!;
}

function moduleArgs(y: LoadedYaml, module: string, value: unknown, path: Path): Vars {
  if (value === null || value === undefined) return {};
  // `command: echo hi` is the one free-form shorthand, as in Ansible.
  if (module === 'command' && typeof value === 'string') return { cmd: value };
  return expectMapAt(y, value, path, `arguments of "${module}"`);
}

function defaultName(module: string, args: unknown): string {
  const first = args !== null && typeof args === 'object' ? Object.values(args).find((v) => typeof v === 'string') : args;
  return typeof first === 'string' ? `${module} ${first}` : module;
}

function conditionText(value: unknown, key: string, where: Where): string {
  return typeof value === 'boolean' ? String(value) : expectString(value, key, where);
}

function expectLoop(value: unknown, where: Where): unknown {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  throw new ValidationError(`"loop" must be a list or a template naming a list, such as "{{ broker_instances }}"`, where);
}

/** `loop_control: { label: TEMPLATE }`, the only loop_control key this runner knows; it needs a `loop`. */
function loopLabelOf(y: LoadedYaml, task: Vars, path: Path): string {
  const control = expectMapAt(y, task.loop_control, path, 'loop_control');
  rejectUnknown(y, control, path, ['label'], 'loop_control');
  if (task.loop === undefined) throw new ValidationError('"loop_control" needs a "loop" on the same task', y.locateKey(path));
  return expectString(control.label, 'loop_control.label', y.locate([...path, 'label']));
}

function valueAt(y: LoadedYaml, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], y.data);
}

function expectList(y: LoadedYaml, value: unknown, path: Path, what: string): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError(`"${what}" must be a list (lines starting with "- "), got ${kindOf(value)}`, y.locate(path));
  return value;
}

function expectMapAt(y: LoadedYaml, value: unknown, path: Path, what: string): Vars {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(`${what} must be a mapping, got ${kindOf(value)}`, y.locate(path));
  return value as Vars;
}

function rejectUnknown(y: LoadedYaml, map: Vars, path: Path, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(map).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw new ValidationError(`${what}: unknown key "${unknown}" (known: ${allowed.join(', ')})`, y.locateKey([...path, unknown]));
}

const kindOf = (value: unknown): string => (value === null ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : JSON.stringify(value));
