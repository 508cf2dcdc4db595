// The task and block formats of task lists (a phase's tasks and handlers, a role's tasks/main.yaml).
import { z } from '../../shared/schema.ts';
import { bool, listOf, stringList, text } from '../../shared/schema-fields.ts';

const CONDITION = { error: 'must be a string' };

/** A condition: a template or variable name; a YAML boolean is taken as its text. */
export const condition = () =>
  z
    .union([z.boolean(CONDITION), text()], CONDITION)
    .transform(String)
    .meta({ description: 'a variable name, "!name", or a template such as "{{ x }}"' });

const LOOP = {
  error: 'must be a list or a template naming a list, such as "{{ broker_instances }}"',
};

/** A loop: a list, or a template that renders to one. */
export const loopValue = () =>
  z
    .union([z.string(LOOP), z.array(z.unknown(), LOOP)], LOOP)
    .meta({ description: 'run once per item (the variable `item`)' });

/** `loop_control: { label: TEMPLATE }`, the only loop_control key this runner knows. */
export const loopControl = z
  .strictObject({
    label: text().meta({ description: 'names the item in the output, e.g. "{{ item.name }}"' }),
  })
  .meta({ title: 'loop_control', subject: 'loop_control' });

/** The keywords of a task beside its one module key. */
export const taskKeywords = {
  name: text().optional().meta({ description: 'what the output calls the task' }),
  notify: stringList().meta({ description: 'handlers of the phase to run when the task changed' }),
  tags: stringList().meta({ description: 'select with --tags / --skip-tags' }),
  when: condition().optional(),
  become: bool().optional().meta({ description: 'run as root (sudo)' }),
  changed_when: condition().optional(),
  loop: loopValue().optional(),
  loop_control: loopControl.optional(),
};

export const TASK_KEYS = Object.keys(taskKeywords);

/** A task's keywords; its module key is checked apart (the names come from the module registry). */
export const taskFormat = z.looseObject(taskKeywords).meta({ title: 'task', subject: 'a task' });

export type TaskFields = z.output<typeof taskFormat>;

/** The keywords of a `block:`, whose tasks share its when/loop/tags/become. */
export const blockKeywords = <T extends z.ZodType>(item: T) => ({
  name: text().optional(),
  block: listOf(item).meta({ description: 'the tasks of the block' }),
  when: condition().optional(),
  loop: loopValue().optional(),
  loop_control: loopControl.optional(),
  tags: stringList(),
  become: bool().optional(),
});

export const BLOCK_KEYS = Object.keys(blockKeywords(z.unknown()));

/** A block as the loader reads it: its tasks are parsed by the task list (with the block's scope). */
export const blockFormat = z
  .strictObject(blockKeywords(z.unknown()))
  .meta({ title: 'block', subject: 'a block', keysLabel: 'block keys' });

export type BlockFields = z.output<typeof blockFormat>;
