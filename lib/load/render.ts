// Strict Handlebars rendering of template files, strings and whole values, with errors that name file:line:col and host.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { formatWhere, TemplateError } from '../shared/errors.ts';
import { templateHelpers } from './render-helpers.ts';
import { memoized, rootReads } from './render-memo.ts';
import { plainTemplate, renderPlain } from './render-plain.ts';
import type { Vars, Where } from '../shared/types.ts';

type Compiled = (context: unknown) => string;

/** Our own instance, so helpers registered here never leak into (or from) other Handlebars users. */
const hb = Handlebars.create();
for (const [name, helper] of Object.entries(templateHelpers)) hb.registerHelper(name, helper);
/** renderValue() evaluates a lone helper call through this helper to keep the result's type. */
let captured: unknown;
hb.registerHelper('__capture', (value: unknown) => {
  captured = value;
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

/** A variable read by a block helper's condition (`{{#if name}}`), where the template says so. */
type BlockRef = { name: string; helper: string; line: number; column: number };
/** Block helpers whose body keeps the caller's context; `each` and `with` change it (names there are the item's). */
const SAME_CONTEXT = new Set(['if', 'unless']);
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** The parts of Handlebars' AST nodes read here. */
type AstNode = {
  type?: string;
  path?: AstNode;
  params?: AstNode[];
  hash?: { pairs?: Array<{ value: AstNode }> };
  program?: AstNode;
  inverse?: AstNode;
  body?: AstNode[];
  original?: string;
  parts?: string[];
  data?: boolean;
  depth?: number;
  loc?: { start: { line: number; column: number } };
};

/** A helper's arguments: positional ones, then hash values. */
const argumentsOf = (node: AstNode): AstNode[] => [
  ...(node.params ?? []),
  ...(node.hash?.pairs ?? []).map((p) => p.value),
];

/** Root-context variable names in a helper's arguments, subexpressions included. */
function argumentRefs(node: AstNode | undefined, helper: string, out: BlockRef[]): void {
  if (!node) return;
  if (node.type === 'SubExpression') {
    for (const n of argumentsOf(node)) argumentRefs(n, helper, out);
    return;
  }
  const original = node.original ?? '';
  if (
    node.type !== 'PathExpression' ||
    node.data ||
    (node.depth ?? 0) > 0 ||
    /^(this\b|\.\.?\/)/.test(original)
  )
    return;
  const name = node.parts?.[0];
  if (name !== undefined)
    out.push({
      name,
      helper,
      line: node.loc?.start.line ?? 1,
      column: node.loc?.start.column ?? 0,
    });
}

/**
 * Handlebars' strict mode does not cover block helpers: `{{#if missing}}` is silently false. This lists the
 * variables such blocks read in the root context, so rendering can refuse the ones no layer defines.
 */
function blockRefs(node: AstNode | undefined, out: BlockRef[] = []): BlockRef[] {
  if (!node || typeof node !== 'object') return out;
  if (node.type === 'Program') for (const child of node.body ?? []) blockRefs(child, out);
  if (node.type !== 'BlockStatement') return out;
  const helper = node.path?.original ?? '';
  if (BLOCK_HELPERS.has(helper)) for (const n of argumentsOf(node)) argumentRefs(n, helper, out);
  if (SAME_CONTEXT.has(helper)) blockRefs(node.program, out);
  blockRefs(node.inverse, out);
  return out;
}

function checkBlockRefs(refs: readonly BlockRef[], context: unknown): void {
  for (const ref of refs) {
    if (context !== null && typeof context === 'object' && Object.hasOwn(context, ref.name))
      continue;
    throw Object.assign(new Error(`"${ref.name}" not defined in {{#${ref.helper}}}`), {
      lineNumber: ref.line,
      column: ref.column,
    });
  }
}

const isHelper = (name: string): boolean => Object.hasOwn(hb.helpers, name);

function compiled(source: string, cache: TemplateCache | undefined): Compiled {
  let fn = cache?.get(source);
  if (!fn) {
    let full: Compiled | undefined;
    const handlebars = (context: unknown): string => {
      full ??= compiledByHandlebars(source);
      return full(context);
    };
    // Plain `{{var}}` substitutions skip Handlebars' per-call setup (a copy of every helper, each wrapped anew).
    const plain = plainTemplate(source);
    fn = plain
      ? (context) => {
          const text = renderPlain(plain, context as Vars, isHelper);
          if (text === undefined) return handlebars(context);
          return text.includes(MARK) ? text.replaceAll(MARK, '') : text;
        }
      : handlebars;
    cache?.set(source, fn);
  }
  return fn;
}

function compiledByHandlebars(source: string): Compiled {
  const ast = hb.parse(source);
  const refs = blockRefs(ast as AstNode);
  const reads = rootReads(ast, isHelper);
  startWithMark(ast);
  // noEscape: we render config files, not HTML; strict: a missing variable is an error, never an empty string.
  const template = hb.compile(ast, { strict: true, noEscape: true });
  return memoized(reads, (context) => {
    checkBlockRefs(refs, context);
    return template(context).replaceAll(MARK, '');
  });
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
  try {
    return compiled(text, cache)(context);
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
  captured = undefined;
  renderString(`{{__capture (${expr})}}`, context, where, host, cache);
  return captured;
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

const onHost = (host: string | undefined): string => (host ? ` (host ${host})` : '');

/** Turns a Handlebars exception into one line an operator can act on. */
function explain(
  err: unknown,
  source: string,
  where: Where,
  host: string | undefined,
): TemplateError {
  if (err instanceof TemplateError) {
    return /^\S+:\d+:\d+: /.test(err.message)
      ? err
      : new TemplateError(`${formatWhere(where)}: ${err.message}${onHost(host)}`);
  }
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  let line = e.lineNumber;
  let col = e.column === undefined ? undefined : e.column + 1;
  let words = message;
  const missing = /^"([^"]+)" not defined in/.exec(message);
  const parse = /^Parse error on line (\d+):/.exec(message);
  const notMap = /^Cannot use 'in' operator to search for '([^']+)' in (.*)$/.exec(message);
  const helper = /^Missing helper: "([^"]+)"/.exec(message);
  const block = /^"([^"]+)" not defined in \{\{#(\w+)\}\}$/.exec(message);
  if (block) {
    words = `variable "${block[1]}" used by {{#${block[2]}}} is not defined in any layer: define it (role defaults, group_vars, host_vars or -e)`;
  } else if (missing) {
    words = isHelperCall(source, line, e.column, missing[1]!)
      ? unknownHelper(missing[1]!)
      : `variable "${missing[1]}" is not defined`;
  } else if (helper) {
    words = unknownHelper(helper[1]!);
  } else if (parse) {
    line = Number(parse[1]);
    col = 1;
    words = syntaxWords(message);
  } else if (notMap) {
    line = lineOf(source, new RegExp(`[./]${notMap[1]!.replace(/\W/g, '\\$&')}\\b`));
    words = `cannot look up "${notMap[1]}" inside ${notMap[2]}: it is not a mapping`;
  }
  return new TemplateError(`${formatWhere(shift(where, line, col))}: ${words}${onHost(host)}`);
}

/** Handlebars' parser lists every token it expected; the token it got and the text near it say more. */
function syntaxWords(message: string): string {
  const got = /got '([^']+)'/.exec(message)?.[1];
  const what =
    got === 'EOF' ? 'end of template (is a {{#block}} left open?)' : got ? `token ${got}` : 'text';
  return `template syntax error: unexpected ${what} near "${message.split('\n')[1] ?? ''}"`;
}

function unknownHelper(name: string): string {
  return `unknown helper "${name}" (known: ${Object.keys(templateHelpers).join(', ')})`;
}

/** Handlebars reports an unknown helper as a missing variable; a name followed by arguments is a helper call. */
function isHelperCall(
  source: string,
  line: number | undefined,
  column: number | undefined,
  name: string,
): boolean {
  if (line === undefined || column === undefined) return false;
  const text = source.split('\n')[line - 1] ?? '';
  const after = text.slice(column);
  return after.startsWith(name) && /^\s+[^\s}~)]/.test(after.slice(name.length));
}

function lineOf(source: string, re: RegExp): number | undefined {
  const index = source.split('\n').findIndex((l) => re.test(l));
  return index < 0 ? undefined : index + 1;
}

/** Maps a line/column inside the template onto the file that holds it. */
function shift(where: Where, line: number | undefined, col: number | undefined): Where {
  if (line === undefined) return where;
  if (line === 1)
    return { ...where, col: where.line === 1 && where.col === 1 ? (col ?? 1) : where.col };
  return { file: where.file, line: where.line + line - 1, col: col ?? 1 };
}
