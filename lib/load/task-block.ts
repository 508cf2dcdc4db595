// Ansible's `block:` in task lists: tasks that share when/loop/tags/become, flattened into those tasks at load.
import { formatWhere, ValidationError } from '../shared/errors.ts';
import { didYouMean } from '../shared/suggest.ts';
import type { Vars, Where } from '../shared/types.ts';
import {
  expectBool,
  expectListAt,
  expectMapAt,
  expectString,
  expectStringList,
} from '../shared/validate.ts';
import type { YamlPath } from '../shared/validate.ts';
import type { LoadedYaml } from './yaml.ts';

const BLOCK_KEYS = ['name', 'block', 'when', 'loop', 'loop_control', 'tags', 'become'];

/** What the enclosing blocks give each task inside them (the empty scope outside any block). */
export interface BlockScope {
  /** Block conditions, outermost first: all must hold before the task's own `when` is asked. */
  when: Array<{ text: string; where: Where }>;
  tags: string[];
  become?: boolean;
  /** The block's loop, given to every task inside; a task there cannot loop too. */
  loop?: { value: unknown; label?: string; where: Where };
}

export const NO_SCOPE: BlockScope = { when: [], tags: [] };

/** A task list entry with a `block:` key is a block, anything else a task. */
export const isBlock = (item: unknown): boolean =>
  item !== null && typeof item === 'object' && !Array.isArray(item) && 'block' in item;

/**
 * The tasks of a block, each with the block's `when` ANDed before its own, the block's tags added to its own,
 * the block's `become` unless it sets one, and the block's `loop` (an error when it has a loop of its own).
 * @param parseList parses the task list under `block:` with the block's scope (task-list.ts; passed in, so no
 *   import cycle)
 * @throws ValidationError at the offending key: unknown keys (with a suggestion), a module on the block, no tasks
 */
export function parseBlock<T>(
  y: LoadedYaml,
  value: unknown,
  path: YamlPath,
  outer: BlockScope,
  names: readonly string[],
  parseList: (value: unknown, path: YamlPath, scope: BlockScope) => T[],
): T[] {
  const map = expectMapAt(y, value, path, 'a block');
  rejectBlockKeys(y, map, path, names);
  const at = (key: string) => y.locate([...path, key]);
  const scope: BlockScope = {
    when:
      map.when === undefined
        ? outer.when
        : [...outer.when, { text: condition(map.when, at('when')), where: at('when') }],
    tags: [...outer.tags, ...expectStringList(map.tags, 'tags', at('tags'))],
  };
  const become =
    map.become === undefined ? outer.become : expectBool(map.become, 'become', at('become'));
  if (become !== undefined) scope.become = become;
  const loop = map.loop === undefined ? outer.loop : blockLoop(y, map, path, outer);
  if (loop !== undefined) scope.loop = loop;
  if (map.loop_control !== undefined && map.loop === undefined) {
    const where = y.locateKey([...path, 'loop_control']);
    throw new ValidationError('"loop_control" needs a "loop" on the same block', where);
  }
  const tasks = expectListAt(y, map.block, [...path, 'block'], 'block');
  if (tasks.length === 0) {
    const where = y.locateKey([...path, 'block']);
    throw new ValidationError(
      'block has no tasks; list them under "block:" (or remove the block)',
      where,
    );
  }
  return parseList(map.block, [...path, 'block'], scope);
}

function rejectBlockKeys(y: LoadedYaml, map: Vars, path: YamlPath, names: readonly string[]): void {
  const unknown = Object.keys(map).find((k) => !BLOCK_KEYS.includes(k));
  if (unknown === undefined) return;
  const where = y.locateKey([...path, unknown]);
  if (names.includes(unknown)) {
    const what = `block: "${unknown}" is a module; a block holds only tasks, under "block:"`;
    throw new ValidationError(`${what} (move "${unknown}" into a task there)`, where);
  }
  const known = `block keys: ${BLOCK_KEYS.join(', ')}`;
  throw new ValidationError(
    `block: unknown key "${unknown}" (${known})${didYouMean(unknown, BLOCK_KEYS)}`,
    where,
  );
}

function blockLoop(
  y: LoadedYaml,
  map: Vars,
  path: YamlPath,
  outer: BlockScope,
): BlockScope['loop'] {
  const where = y.locateKey([...path, 'loop']);
  if (outer.loop !== undefined) throw loopConflict(where, outer.loop.where);
  if (typeof map.loop !== 'string' && !Array.isArray(map.loop)) {
    const what =
      '"loop" must be a list or a template naming a list, such as "{{ broker_instances }}"';
    throw new ValidationError(what, y.locate([...path, 'loop']));
  }
  const loop: NonNullable<BlockScope['loop']> = { value: map.loop, where };
  if (map.loop_control !== undefined)
    loop.label = loopLabel(y, map.loop_control, [...path, 'loop_control']);
  return loop;
}

/** A loop inside a looping block: one loop per task is all this runner (and Ansible) knows. */
export function loopConflict(where: Where, blockLoop: Where): ValidationError {
  return new ValidationError(
    `"loop" inside a block that loops (its loop is at ${formatWhere(blockLoop)}): a task runs once per item of ` +
      'one loop; move this task out of the block, or drop one of the two loops',
    where,
  );
}

/** `loop_control: { label: TEMPLATE }`, the only loop_control key this runner knows. */
export function loopLabel(y: LoadedYaml, value: unknown, path: YamlPath): string {
  const control = expectMapAt(y, value, path, 'loop_control');
  const unknown = Object.keys(control).find((k) => k !== 'label');
  if (unknown !== undefined) {
    throw new ValidationError(
      `loop_control: unknown key "${unknown}" (known: label)`,
      y.locateKey([...path, unknown]),
    );
  }
  return expectString(control.label, 'loop_control.label', y.locate([...path, 'label']));
}

function condition(value: unknown, where: Where): string {
  return typeof value === 'boolean' ? String(value) : expectString(value, 'when', where);
}
