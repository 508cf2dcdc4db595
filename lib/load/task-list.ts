// Parses task lists (a phase's tasks or handlers, a role's tasks/main.yaml) into TaskSpecs.
import { ValidationError } from '../shared/errors.ts';
import { isBlock, loopConflict, loopLabel, NO_SCOPE, parseBlock } from './task-block.ts';
import type { BlockScope } from './task-block.ts';
import type { TaskSpec, Vars, Where } from '../shared/types.ts';
import {
  expectBool,
  expectListAt,
  expectMapAt,
  expectString,
  expectStringList,
} from '../shared/validate.ts';
import type { YamlPath } from '../shared/validate.ts';
import type { LoadedYaml } from './yaml.ts';

/** Known module names, as a list or as the module registry itself. */
export type ModuleNames = readonly string[] | ReadonlyMap<string, unknown>;

type Path = YamlPath;
const TASK_KEYS = [
  'name',
  'notify',
  'tags',
  'when',
  'become',
  'changed_when',
  'loop',
  'loop_control',
];

/** The names in a module list or registry. */
export function knownModuleNames(modules: ModuleNames): string[] {
  return Array.isArray(modules)
    ? [...modules]
    : [...(modules as ReadonlyMap<string, unknown>).keys()];
}

/**
 * Parses a list of tasks (a phase's tasks or handlers, or a role's tasks/main.yaml); a `block:` entry gives its
 * tasks, each carrying the block's when/loop/tags/become (task-block.ts).
 * @param value the list itself; `path` is where it sits in `y`
 * @throws ValidationError at the offending key for unknown modules, unknown keys and wrong types
 */
export function parseTaskList(
  y: LoadedYaml,
  value: unknown,
  path: Path,
  names: readonly string[],
  role?: string,
  scope: BlockScope = NO_SCOPE,
): TaskSpec[] {
  return expectListAt(y, value, path, 'tasks').flatMap((item, i) =>
    isBlock(item)
      ? parseBlock(y, item, [...path, i], scope, names, (list, at, inner) =>
          parseTaskList(y, list, at, names, role, inner),
        )
      : [withScope(y, parseTask(y, item, [...path, i], names, role), [...path, i], scope)],
  );
}

/** A task inside blocks: their conditions first, their tags before its own, their become and loop unless its own. */
function withScope(y: LoadedYaml, task: TaskSpec, path: Path, scope: BlockScope): TaskSpec {
  if (scope.when.length > 0) task.blockWhen = scope.when;
  if (scope.tags.length > 0) task.tags = [...new Set([...scope.tags, ...task.tags])];
  if (task.become === undefined && scope.become !== undefined) task.become = scope.become;
  if (scope.loop === undefined) return task;
  if (task.loop !== undefined) throw loopConflict(y.locateKey([...path, 'loop']), scope.loop.where);
  task.loop = scope.loop.value;
  if (scope.loop.label !== undefined) task.loopLabel = scope.loop.label;
  return task;
}

function parseTask(
  y: LoadedYaml,
  value: unknown,
  path: Path,
  names: readonly string[],
  role: string | undefined,
): TaskSpec {
  const map = expectMapAt(y, value, path, 'a task');
  const at = (key: string) => y.locate([...path, key]);
  const module = moduleKeyOf(y, map, path, names);
  const task: TaskSpec = {
    name:
      map.name === undefined
        ? defaultName(module, map[module])
        : expectString(map.name, 'name', at('name')),
    module,
    args: moduleArgs(y, module, map[module], [...path, module]),
    where: y.locate(path),
    notify: expectStringList(map.notify, 'notify', at('notify')),
    tags: expectStringList(map.tags, 'tags', at('tags')),
  };
  if (role !== undefined) task.role = role;
  if (map.when !== undefined) task.when = conditionText(map.when, 'when', at('when'));
  if (map.become !== undefined) task.become = expectBool(map.become, 'become', at('become'));
  if (map.changed_when !== undefined)
    task.changedWhen = conditionText(map.changed_when, 'changed_when', at('changed_when'));
  if (map.loop !== undefined) task.loop = expectLoop(map.loop, at('loop'));
  if (map.loop_control !== undefined)
    task.loopLabel = loopLabelOf(y, map, [...path, 'loop_control']);
  if (map.notify !== undefined) task.notifyWhere = at('notify');
  return task;
}

/** Exactly one key of a task that is not a task keyword names its module. */
function moduleKeyOf(y: LoadedYaml, map: Vars, path: Path, names: readonly string[]): string {
  const candidates = Object.keys(map).filter((k) => !TASK_KEYS.includes(k));
  const known = candidates.filter((k) => names.includes(k));
  const unknown = candidates.find((k) => !names.includes(k));
  const list = [...names].sort().join(', ');
  if (unknown !== undefined && known.length === 0)
    throw new ValidationError(
      `unknown module "${unknown}" (known: ${list})`,
      y.locateKey([...path, unknown]),
    );
  if (unknown !== undefined)
    throw new ValidationError(
      `task: unknown key "${unknown}" (task keys: ${TASK_KEYS.join(', ')}, and one module)`,
      y.locateKey([...path, unknown]),
    );
  if (known.length === 0)
    throw new ValidationError(`task has no module; add one of: ${list}`, y.locate(path));
  if (known.length > 1)
    throw new ValidationError(
      `task has two modules, "${known[0]}" and "${known[1]}"; split it into two tasks`,
      y.locateKey([...path, known[1]!]),
    );
  return known[0]!;
}

function moduleArgs(y: LoadedYaml, module: string, value: unknown, path: Path): Vars {
  if (value === null || value === undefined) return {};
  // `command: echo hi` is the one free-form shorthand, as in Ansible.
  if (module === 'command' && typeof value === 'string') return { cmd: value };
  return expectMapAt(y, value, path, `arguments of "${module}"`);
}

function defaultName(module: string, args: unknown): string {
  const first =
    args !== null && typeof args === 'object'
      ? Object.values(args).find((v) => typeof v === 'string')
      : args;
  return typeof first === 'string' ? `${module} ${first}` : module;
}

function conditionText(value: unknown, key: string, where: Where): string {
  return typeof value === 'boolean' ? String(value) : expectString(value, key, where);
}

function expectLoop(value: unknown, where: Where): unknown {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  throw new ValidationError(
    `"loop" must be a list or a template naming a list, such as "{{ broker_instances }}"`,
    where,
  );
}

/** `loop_control: { label: TEMPLATE }`; it needs a `loop` on the same task. */
function loopLabelOf(y: LoadedYaml, task: Vars, path: Path): string {
  if (task.loop === undefined)
    throw new ValidationError('"loop_control" needs a "loop" on the same task', y.locateKey(path));
  return loopLabel(y, task.loop_control, path);
}
