// Ansible's `block:` in task lists: tasks that share when/loop/tags/become, flattened into those tasks at load.
import { formatWhere, ValidationError } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';
import { type DataPath, parseAt } from '../shared/schema.ts';
import { mapping } from '../shared/schema-fields.ts';
import { BLOCK_KEYS, blockFormat, type BlockFields } from './formats/task-format.ts';
import type { LoadedYaml } from './yaml.ts';

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
  path: DataPath,
  outer: BlockScope,
  names: readonly string[],
  parseList: (value: unknown, path: DataPath, scope: BlockScope) => T[],
): T[] {
  rejectBlockKeys(y, parseAt(mapping('a block'), y, path, value), path, names);
  const block = parseAt(blockFormat, y, path, value);
  const when = y.locate([...path, 'when']);
  const scope: BlockScope = {
    when:
      block.when === undefined ? outer.when : [...outer.when, { text: block.when, where: when }],
    tags: [...outer.tags, ...block.tags],
  };
  const become = block.become ?? outer.become;
  if (become !== undefined) scope.become = become;
  const loop = block.loop === undefined ? outer.loop : blockLoop(y, block, path, outer);
  if (loop !== undefined) scope.loop = loop;
  if (block.loop_control !== undefined && block.loop === undefined) {
    const where = y.locateKey([...path, 'loop_control']);
    throw new ValidationError('"loop_control" needs a "loop" on the same block', where);
  }
  if (block.block.length === 0) {
    const where = y.locateKey([...path, 'block']);
    throw new ValidationError(
      'block has no tasks; list them under "block:" (or remove the block)',
      where,
    );
  }
  return parseList((value as Vars).block, [...path, 'block'], scope);
}

function rejectBlockKeys(y: LoadedYaml, map: Vars, path: DataPath, names: readonly string[]): void {
  const unknown = Object.keys(map).find((k) => !BLOCK_KEYS.includes(k));
  if (unknown === undefined || !names.includes(unknown)) return;
  const what = `block: "${unknown}" is a module; a block holds only tasks, under "block:"`;
  throw new ValidationError(
    `${what} (move "${unknown}" into a task there)`,
    y.locateKey([...path, unknown]),
  );
}

function blockLoop(
  y: LoadedYaml,
  block: BlockFields,
  path: DataPath,
  outer: BlockScope,
): BlockScope['loop'] {
  const where = y.locateKey([...path, 'loop']);
  if (outer.loop !== undefined) throw loopConflict(where, outer.loop.where);
  const loop: NonNullable<BlockScope['loop']> = { value: block.loop, where };
  if (block.loop_control !== undefined) loop.label = block.loop_control.label;
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
