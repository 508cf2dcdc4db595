// The formats as JSON Schema files (schemas/*.schema.json) for editors: yaml-language-server validates and
// completes playbooks, role task lists and inventories with them, as it does for Ansible.
import { z } from '../../shared/schema.ts';
import { inventoryFormat } from './inventory-format.ts';
import { playbookMapFormat, phaseFormat } from './playbook-format.ts';
import { roleDefaultsFormat, roleMetaFormat } from './role-format.ts';
import { blockKeywords, taskKeywords } from './task-format.ts';

/** Module name → its argument schema (a module without one takes any mapping). */
export type ModuleArgSchemas = ReadonlyMap<string, z.ZodType | undefined>;

/** A templated value: rendered per host before the module checks it, so an editor cannot judge it. */
const TEMPLATE = { type: 'string', pattern: '\\{\\{' };

/** The schemas inside `schema` (wrapped, piped, optional, the options of a union, a lazy one's result). */
function inner(schema: z.ZodType): z.ZodType[] {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  const found = [
    def.innerType,
    def.in,
    def.out,
    def.element,
    def.valueType,
    ...((def.options as []) ?? []),
  ];
  if (typeof def.getter === 'function') found.push((def.getter as () => z.ZodType)());
  return found.filter((s): s is z.ZodType => s instanceof z.ZodType);
}

/**
 * Adds every value slot of module arguments (a mapping's value, a list's item), at any depth, to `slots`: each
 * also takes a template, which is rendered before the module checks it (e.g. a gate map's `id: "{{item.id}}"`).
 */
function addSlots(schema: z.ZodType, slots: Set<z.ZodType>, seen = new Set<z.ZodType>()): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  const values = schema instanceof z.ZodObject ? (Object.values(schema.shape) as z.ZodType[]) : [];
  for (const slot of [...values, def.element, def.valueType])
    if (slot instanceof z.ZodType) slots.add(slot);
  for (const child of [...values, ...inner(schema)]) addSlots(child, slots, seen);
}

/** Task items: a task (task keywords and one module key) or a block of them. */
function taskItem(modules: ModuleArgSchemas, templated: Set<z.ZodType>): z.ZodType {
  const moduleKeys: Record<string, z.ZodType> = {};
  for (const [name, args] of modules) {
    const schema = args ?? z.looseObject({});
    addSlots(schema, templated);
    const described = schema
      .optional()
      .meta({ description: `the ${name} module (docs/modules.md)` });
    moduleKeys[name] = name === 'command' ? z.union([z.string(), described]).optional() : described;
  }
  const task = z
    .strictObject({ ...taskKeywords, ...moduleKeys })
    .meta({ title: 'task', description: 'task keywords and exactly one module' });
  const block = z.strictObject({
    ...blockKeywords(z.unknown()),
    get block() {
      return z.array(item).meta({ description: 'the tasks of the block' });
    },
  });
  const item: z.ZodType = z.union([task, block.meta({ title: 'block' })]);
  return item;
}

/** A field of module arguments also takes a template string (it is checked after rendering). */
function allowTemplates(templated: Set<z.ZodType>) {
  return (ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }) => {
    if (!templated.has(ctx.zodSchema as z.ZodType)) return;
    const own = { ...ctx.jsonSchema };
    if (own.type === 'string' && own.pattern === undefined && own.enum === undefined) return;
    const description = own.description;
    for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
    delete own.description;
    Object.assign(ctx.jsonSchema, { anyOf: [own, TEMPLATE] });
    if (description !== undefined) ctx.jsonSchema.description = description;
  };
}

function toJson(schema: z.ZodType, templated: Set<z.ZodType>, title: string): string {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-07',
    // A schema used twice (the gate maps of guard, health and before_start) is written once and referred to.
    reused: 'ref',
    unrepresentable: 'any',
    override: allowTemplates(templated),
  }) as Record<string, unknown>;
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}

/**
 * Every JSON Schema file by its name under schemas/.
 * @example jsonSchemas(new Map([['file', fileArgs]]))['playbook.schema.json']
 */
export function jsonSchemas(modules: ModuleArgSchemas): Record<string, string> {
  const templated = new Set<z.ZodType>();
  const item = taskItem(modules, templated);
  const playbook = z.union([z.array(phaseFormat(item)), playbookMapFormat(item)]);
  return {
    'playbook.schema.json': toJson(playbook, templated, 'rocketmq-deploy playbook'),
    'tasks.schema.json': toJson(z.array(item), templated, 'rocketmq-deploy task list'),
    'inventory.schema.json': toJson(inventoryFormat, templated, 'rocketmq-deploy inventory'),
    'role-defaults.schema.json': toJson(
      roleDefaultsFormat,
      templated,
      'rocketmq-deploy role defaults',
    ),
    'role-meta.schema.json': toJson(roleMetaFormat, templated, 'rocketmq-deploy role meta'),
  };
}
