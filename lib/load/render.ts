// Strict Handlebars rendering of template files, strings and whole values, with errors that name file:line:col and host.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { formatWhere, TemplateError } from '../shared/errors.ts';
import { type AstNode, blockRefs, checkBlockRefs } from './render-block-refs.ts';
import { explain, onHost } from './render-errors.ts';
import { templateHelpers } from './render-helpers.ts';
import { memoized, rootReads } from './render-memo.ts';
import { plainTemplate, renderPlain } from './render-plain.ts';
import type { Vars, Where } from '../shared/types.ts';

/** What a render call hands its helpers besides the variables: renderValue's box for a lone helper call's value. */
type RenderData = { capture?: { value?: unknown } };
type Compiled = (context: unknown, data?: RenderData) => string;

/** Our own instance, so helpers registered here never leak into (or from) other Handlebars users. */
const hb = Handlebars.create();
for (const [name, helper] of Object.entries(templateHelpers)) hb.registerHelper(name, helper);
/** renderValue() evaluates a lone helper call through this helper to keep the result's type (in the call's box). */
hb.registerHelper('__capture', (value: unknown, options: { data?: RenderData }) => {
  const box = options.data?.capture;
  if (box) box.value = value;
  return '';
});

/**
 * Adds a plugin's helpers (RocketMQ's: lib/modules/index.ts installs them at start-up).
 * @throws Error when a name is already another helper
 */
export function addTemplateHelpers(helpers: Record<string, (...args: unknown[]) => unknown>): void {
  for (const [name, helper] of Object.entries(helpers)) {
    if (templateHelpers[name] !== undefined && templateHelpers[name] !== helper)
      throw new Error(`template helper "${name}" is registered twice`);
    templateHelpers[name] = helper;
    hb.registerHelper(name, helper);
  }
}

/** Compiled templates by source text: a run's planner owns one (newTemplateCache); without one, each call compiles. */
export type TemplateCache = Map<string, Compiled>;
export const newTemplateCache = (): TemplateCache => new Map();
const SINGLE = /^\s*\{\{\s*([^{}#/^!>&~\s][^{}]*?)\s*\}\}\s*$/;
const SIMPLE_PATH = /^[A-Za-z_@][\w-]*(?:\.(?:[\w-]+|\[[^\]]+\]))*$/;

/**
 * With noEscape, Handlebars joins adjacent outputs with `+`, so `{{port}}{{port}}` adds two numbers.
 * Starting every block body with a marker text makes each join a string join; the marker is removed after.
 */
const MARK = '\u0000';

function startWithMark(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const child of Object.values(node)) startWithMark(child);
  const program = node as { type?: string; body?: unknown[] };
  if (program.type === 'Program' && Array.isArray(program.body))
    program.body.unshift({ type: 'ContentStatement', value: MARK, original: MARK });
}

function compiled(source: string, cache: TemplateCache | undefined): Compiled {
  let fn = cache?.get(source);
  if (!fn) {
    let full: Compiled | undefined;
    const handlebars: Compiled = (context, data) => {
      full ??= compiledByHandlebars(source);
      return full(context, data);
    };
    // Plain `{{var}}` substitutions skip Handlebars' per-call setup (a copy of every helper, each wrapped anew).
    const plain = plainTemplate(source);
    fn = plain
      ? (context, data) => {
          const text = renderPlain(plain, context as Vars, isHelper);
          if (text === undefined) return handlebars(context, data);
          return text.includes(MARK) ? text.replaceAll(MARK, '') : text;
        }
      : handlebars;
    cache?.set(source, fn);
  }
  return fn;
}

const isHelper = (name: string): boolean => Object.hasOwn(hb.helpers, name);

function compiledByHandlebars(source: string): Compiled {
  const ast = hb.parse(source);
  const refs = blockRefs(ast as AstNode);
  // Undefined when the template calls any helper (the capture helper included): such results are never reused.
  const reads = rootReads(ast, isHelper);
  startWithMark(ast);
  // noEscape: we render config files, not HTML; strict: a missing variable is an error, never an empty string.
  const template = hb.compile(ast, { strict: true, noEscape: true });
  const render: Compiled = (context, data) => {
    checkBlockRefs(refs, context);
    return template(context, { data }).replaceAll(MARK, '');
  };
  return reads === undefined ? render : memoized(reads, (context) => render(context));
}

/**
 * Renders a Handlebars template file with a host's variables.
 * @throws TemplateError like `roles/broker/templates/broker.properties.hbs:12:5: variable "brokerIp" is not defined (host mq1)`
 * @example renderTemplateFile('roles/broker/templates/broker.properties.hbs', vars, 'mq1')
 */
export function renderTemplateFile(path: string, context: Vars, host?: string): string {
  return renderTemplateText(path, readOrNone(path), context, host);
}

function readOrNone(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Renders template file `path` from its text, loaded beforehand (undefined: not found); throws as renderTemplateFile. */
export function renderTemplateText(
  path: string,
  source: string | undefined,
  context: Vars,
  host?: string,
  cache?: TemplateCache,
): string {
  if (source === undefined)
    throw new TemplateError(
      `${path}: template not found; check "src" and the role's templates/ folder${onHost(host)}`,
    );
  return renderString(source, context, { file: path, line: 1, col: 1 }, host, cache);
}

/**
 * Renders a template held in a string; `where` is the string's own position (in a YAML file, say).
 * @throws TemplateError naming the position, the problem and the host
 */
export function renderString(
  text: string,
  context: Vars,
  where: Where,
  host?: string,
  cache?: TemplateCache,
): string {
  if (!text.includes('{{')) return text;
  return renderWith(text, context, where, host, cache);
}

/** Renders `text` (a template), handing `data` to its helpers; throws as renderString. */
function renderWith(
  text: string,
  context: Vars,
  where: Where,
  host: string | undefined,
  cache: TemplateCache | undefined,
  data?: RenderData,
): string {
  try {
    return compiled(text, cache)(context, data);
  } catch (err) {
    throw explain(err, text, where, host);
  }
}

/**
 * Renders every string inside a value (lists and mappings deeply). A string that is exactly one
 * `{{ expr }}` yields the expression's raw value, so numbers, booleans, lists and mappings keep their type.
 * @example renderValue('{{ ports }}', { ports: [1, 2] }, where) // => [1, 2]
 */
export function renderValue(
  value: unknown,
  context: Vars,
  where: Where,
  host?: string,
  cache?: TemplateCache,
): unknown {
  if (typeof value === 'string') return renderScalar(value, context, where, host, cache);
  if (Array.isArray(value))
    return value.map((item) => renderValue(item, context, where, host, cache));
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderValue(v, context, where, host, cache)]),
    );
  }
  return value;
}

function renderScalar(
  text: string,
  context: Vars,
  where: Where,
  host: string | undefined,
  cache: TemplateCache | undefined,
): unknown {
  const expr = SINGLE.exec(text)?.[1];
  if (expr === undefined) return renderString(text, context, where, host, cache);
  if (SIMPLE_PATH.test(expr) && !expr.startsWith('@'))
    return lookupPath(context, expr, where, host);
  if (!/\s/.test(expr)) return renderString(text, context, where, host, cache);
  const capture: { value?: unknown } = {};
  renderWith(`{{__capture (${expr})}}`, context, where, host, cache, { capture });
  return capture.value;
}

/** Strict lookup of `a.b.[0]`, as Handlebars would do it, but returning the value itself. */
function lookupPath(context: Vars, path: string, where: Where, host: string | undefined): unknown {
  let value: unknown = context;
  for (const part of path.split('.').map((p) => p.replace(/^\[(.*)\]$/, '$1'))) {
    if (part === 'this' && value === context) continue;
    if (value === null || value === undefined || !Object.hasOwn(Object(value), part)) {
      throw new TemplateError(
        `${formatWhere(where)}: variable "${path}" is not defined${onHost(host)}`,
      );
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
