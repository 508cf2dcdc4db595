// Parses task lists (a phase's tasks or handlers, a role's tasks/main.yaml) into TaskSpecs.
import { ValidationError } from '../shared/errors.ts';
import { isBlock, loopConflict, NO_SCOPE, parseBlock } from './task-block.ts';
import type { BlockScope } from './task-block.ts';
import type { TaskSpec, Vars } from '../shared/types.ts';
import { type DataPath, parseAt, z } from '../shared/schema.ts';
import { listOf, mapping } from '../shared/schema-fields.ts';
import { TASK_KEYS, taskFormat } from './formats/task-format.ts';
import type { LoadedYaml } from './yaml.ts';

/** Known module names, as a list or as the module registry itself. */
export type ModuleNames = readonly string[] | ReadonlyMap<string, unknown>;

type Path = DataPath;
const TASK_LIST = listOf(z.unknown());

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
  return parseAt(TASK_LIST, y, path, value, 'tasks').flatMap((item, i) =>
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
  const module = moduleKeyOf(y, parseAt(mapping('a task'), y, path, value), path, names);
  const map = parseAt(taskFormat, y, path, value);
  const task: TaskSpec = {
    name: map.name ?? defaultName(module, map[module]),
    module,
    args: moduleArgs(y, module, map[module], [...path, module]),
    where: y.locate(path),
    notify: map.notify,
    tags: map.tags,
  };
  if (role !== undefined) task.role = role;
  if (map.when !== undefined) task.when = map.when;
  if (map.become !== undefined) task.become = map.become;
  if (map.changed_when !== undefined) task.changedWhen = map.changed_when;
  if (map.loop !== undefined) task.loop = map.loop;
  if (map.loop_control !== undefined) {
    if (map.loop === undefined)
      throw new ValidationError(
        '"loop_control" needs a "loop" on the same task',
        y.locateKey([...path, 'loop_control']),
      );
    task.loopLabel = map.loop_control.label;
  }
  if ((value as Vars).notify !== undefined) task.notifyWhere = y.locate([...path, 'notify']);
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
  return parseAt(mapping(`arguments of "${module}"`), y, path, value);
}

function defaultName(module: string, args: unknown): string {
  const first =
    args !== null && typeof args === 'object'
      ? Object.values(args).find((v) => typeof v === 'string')
      : args;
  return typeof first === 'string' ? `${module} ${first}` : module;
}
