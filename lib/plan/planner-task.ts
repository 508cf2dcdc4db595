// Per-host task rendering: loop expansion, `when`, `changed_when`, templated arguments and module validation.
// Pure: files come from the load stage's data (load-files.ts), compiled templates from the caller's cache.
import { isAbsolute, join } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import { BOOLEAN_WORDS, toBoolean } from '../shared/booleans.ts';
import type { LoadedFiles } from '../load/load-files.ts';
import { refuseTemplatedShell } from './shell-literal.ts';
import { describeOrigin } from '../load/var-origins.ts';
import {
  renderString,
  renderTemplateText,
  renderValue,
  type TemplateCache,
} from '../load/render.ts';
import type { Module, TaskSpec, ValidateContext, Vars, Where } from '../shared/types.ts';

/** One task ready for a host: arguments rendered and validated, or a reason it is skipped there. */
export interface PlannedTask {
  spec: TaskSpec;
  /** Task name, plus the loop item when the task loops. */
  label: string;
  module: Module<unknown>;
  args: unknown;
  /** Set when `when` is false on this host: the task is reported as skipped and never planned. */
  skipReason?: string;
  /** False when `changed_when` says the task never counts as a change. */
  countsAsChange: boolean;
}

/** Where a task finds its files: its role's folders first, then the playbook folder. */
export interface TaskFolders {
  templatesDir?: string;
  filesDir?: string;
  playbookDir: string;
}

/** What planning a task for one host reads besides the task: all of it data, nothing from disk. */
export interface TaskScope {
  host: string;
  vars: Vars;
  folders: TaskFolders;
  /** The templates and `src` files the load stage read. */
  files: LoadedFiles;
  /** Compiled templates, owned by the run that plans. */
  templates: TemplateCache;
}

const SIMPLE_NAME = /^!?\s*[A-Za-z_][\w.]*$/;

/** Looks a dotted name up in the variables; undefined when any part is missing. */
function lookup(vars: Vars, path: string): unknown {
  let value: unknown = vars;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Vars)[part];
  }
  return value;
}

/**
 * Evaluates a condition (`when`, `changed_when`): a variable name, `!name`, or a template that renders to a boolean.
 * Values go through the one boolean coercion (lib/shared/booleans.ts): `no`, `off`, `0`, `False` are false, never "truthy".
 * @throws ValidationError when the variable is undefined or its value (or the rendered text) is not a boolean,
 *   naming the variable, where its value came from and the host
 */
export function evaluateCondition(
  condition: string,
  vars: Vars,
  key: string,
  where: Where,
  host: string,
  cache?: TemplateCache,
): boolean {
  const text = condition.trim();
  if (text === 'true' || text === 'false') return text === 'true';
  if (SIMPLE_NAME.test(text)) {
    const negate = text.startsWith('!');
    const name = text.replace(/^!\s*/, '');
    const value = lookup(vars, name);
    if (value === undefined) {
      throw new ValidationError(
        `${host}: "${key}: ${condition}" uses variable "${name}", which is not defined for this host (define it in the inventory, the play or with -e)`,
        where,
      );
    }
    const bool = toBoolean(value);
    if (bool === undefined) {
      throw new ValidationError(
        `${host}: "${key}: ${condition}": variable "${name}" (set in ${describeOrigin(vars, name)}) must be a boolean (${BOOLEAN_WORDS}), got ${JSON.stringify(value)}`,
        where,
      );
    }
    return negate ? !bool : bool;
  }
  const rendered = renderString(text, vars, where, host, cache).trim();
  const bool = toBoolean(rendered);
  if (bool !== undefined) return bool;
  throw new ValidationError(
    `${host}: "${key}: ${condition}" must render to a boolean (${BOOLEAN_WORDS}), got "${rendered}"`,
    where,
  );
}

/** The items of a task's loop for one host: a list, or a template naming a list variable. */
function loopItems(spec: TaskSpec, { vars, host, templates }: TaskScope): unknown[] {
  // A loop that is exactly `{{ list_var }}` renders to the list itself.
  const value = renderValue(spec.loop, vars, spec.where, host, templates);
  if (!Array.isArray(value)) {
    throw new ValidationError(
      `${host}: task "${spec.name}": "loop" must be a list (or name a list variable), got ${JSON.stringify(value) ?? 'undefined'}`,
      spec.where,
    );
  }
  return value;
}

/** How the output names a loop item: its `loop_control.label` rendered with `item`, else the item itself. */
function itemLabel(spec: TaskSpec, item: unknown, { vars, host, templates }: TaskScope): string {
  if (spec.loopLabel !== undefined)
    return renderString(spec.loopLabel, { ...vars, item }, spec.where, host, templates);
  return typeof item === 'string' || typeof item === 'number' ? String(item) : JSON.stringify(item);
}

/** Picks the first candidate the loader found; falls back to the first so the error names the preferred place. */
function firstExisting(
  src: string,
  folders: Array<string | undefined>,
  files: LoadedFiles,
): string {
  if (isAbsolute(src)) return src;
  const candidates = folders.filter((f): f is string => f !== undefined).map((f) => join(f, src));
  return candidates.find((c) => files.get(c)?.exists === true) ?? candidates[0] ?? src;
}

/** A loaded file's text; the error says why it is not there (the read error the loader met, or none found). */
function loadedText(files: LoadedFiles, path: string): string {
  const file = files.get(path);
  if (file?.text !== undefined) return file.text;
  throw new Error(file?.error ?? `no such file (the load stage read none at ${path})`);
}

function validateContext({ host, vars, folders, files, templates }: TaskScope): ValidateContext {
  return {
    host,
    vars,
    renderFile: (src) => {
      const path = firstExisting(src, [folders.templatesDir, folders.playbookDir], files);
      return renderTemplateText(path, files.get(path)?.text, vars, host, templates);
    },
    resolveFile: (src) => firstExisting(src, [folders.filesDir, folders.playbookDir], files),
    readFile: (path) => loadedText(files, path),
  };
}

/** Renders, validates and condition-checks one expansion (one loop item or the task itself). */
function planOne(
  spec: TaskSpec,
  module: Module<unknown>,
  label: string,
  scope: TaskScope,
): PlannedTask {
  const { vars, host, templates } = scope;
  const conditions = [
    ...(spec.blockWhen ?? []),
    ...(spec.when === undefined ? [] : [{ text: spec.when, where: spec.where }]),
  ];
  const failed = conditions.find(
    (c) => !evaluateCondition(c.text, vars, 'when', c.where, host, templates),
  );
  if (failed !== undefined) {
    return {
      spec,
      label,
      module,
      args: undefined,
      skipReason: `condition "${failed.text}" is false`,
      countsAsChange: false,
    };
  }
  const rendered = renderValue(spec.args, vars, spec.where, host, templates);
  refuseTemplatedShell(spec.args, rendered, spec.name, spec.where);
  const args = module.validate(rendered as Vars, spec.where, validateContext(scope));
  const countsAsChange =
    spec.changedWhen === undefined ||
    evaluateCondition(spec.changedWhen, vars, 'changed_when', spec.where, host, templates);
  return { spec, label, module, args, countsAsChange };
}

/**
 * Renders one task for one host: expands `loop` (variable `item`), evaluates `when`, renders and validates arguments.
 * @param spec the task as written
 * @param modules the module registry
 * @param scope the host, its resolved variables, the task's folders and the loaded files
 * @returns one planned task per loop item (one when the task does not loop)
 * @throws ValidationError or TemplateError naming the file, line and host
 * @example planTask(spec, modules, { host: 'broker-a', vars, folders: { playbookDir: 'playbooks' }, files, templates })
 */
export function planTask(
  spec: TaskSpec,
  modules: ReadonlyMap<string, Module<unknown>>,
  scope: TaskScope,
): PlannedTask[] {
  const module = modules.get(spec.module);
  if (!module) {
    throw new ValidationError(
      `task "${spec.name}": unknown module "${spec.module}" (known: ${[...modules.keys()].sort().join(', ')})`,
      spec.where,
    );
  }
  if (spec.loop === undefined) return [planOne(spec, module, spec.name, scope)];
  return loopItems(spec, scope).map((item) =>
    planOne(spec, module, `${spec.name} (${itemLabel(spec, item, scope)})`, {
      ...scope,
      vars: { ...scope.vars, item },
    }),
  );
}
