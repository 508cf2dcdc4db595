// The one schema helper: zod schemas declare the formats; a schema error becomes one message at file:line:col.
//
// Message convention: a message starting with "must " is a predicate; the subject ("key", from the issue's path)
// goes before it and ", got <what the value was>" after it. Any other message is complete as it stands.
import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { didYouMean } from './suggest.ts';
import type { Where } from './types.ts';
import type { LoadedYaml } from '../load/yaml.ts';

export { z };

/** A path into loaded data (keys and list indexes), as zod reports it and as LoadedYaml locates it. */
export type DataPath = ReadonlyArray<string | number>;

/**
 * Metadata the messages use: `title` starts an unknown-key message and `keysLabel` names its list of keys
 * ("known" unless set), `subject` starts a not-a-mapping one.
 */
export interface FormatMeta {
  title?: string;
  keysLabel?: string;
  subject?: string;
  description?: string;
  [key: string]: unknown;
}

/** What a value was, for "got …": `a list`, `a mapping`, `nothing`, `string "x"`, `number 3`. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `"key"`, or `"key[2]"` for a list item, named by the last key of the path (`what` when there is none). */
export function subjectOf(path: DataPath, what = 'value'): string {
  const i = lastKeyIndex(path);
  if (i < 0) return `"${what}"`;
  return `"${path[i]}${path
    .slice(i + 1)
    .map((n) => `[${n}]`)
    .join('')}"`;
}

/** `"key.sub[2]"`: the whole path, as module arguments name a value nested in them (`"guard.id"`, `"env.HOME"`). */
export function pathOf(path: DataPath, what = 'value'): string {
  const named = path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${k}`))
    .join('');
  return `"${named || what}"`;
}

function lastKeyIndex(path: DataPath): number {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return i;
  return -1;
}

const metaOf = (inst: unknown): FormatMeta =>
  ((inst as z.ZodType | undefined)?.meta?.() as FormatMeta | undefined) ?? {};

/** The messages of issues no schema word covers: unknown keys, wrong container types, missing keys. */
function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const meta = metaOf(issue.inst);
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys((issue.inst as z.ZodObject | undefined)?.shape ?? {});
    const key = String(issue.keys[0]);
    const title = meta.title ?? 'mapping';
    const list = `${meta.keysLabel ?? 'known'}: ${known.join(', ')}`;
    return `${title}: unknown key "${key}" (${list})${didYouMean(key, known)}`;
  }
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  if (issue.expected === 'object' || issue.expected === 'record') {
    const what = 'must be a mapping (name: value lines)';
    return meta.subject ? `${meta.subject} ${what}, got ${kindOf(issue.input)}` : what;
  }
  if (issue.expected === 'array') return 'must be a list (lines starting with "- ")';
  return `must be ${issue.expected === 'string' ? 'a string' : `of type ${issue.expected}`}`;
}

/**
 * The issue's message with its subject, "got", the keys `{0}`, `{1}` (the path's last two) and `{path}` (the whole
 * path, e.g. `brokers[0]`) filled in.
 */
function messageOf(
  issue: z.core.$ZodIssue,
  root: unknown,
  what: string | undefined,
  prefix: DataPath = [],
  name: typeof subjectOf = subjectOf,
): string {
  const full = [...prefix, ...(issue.path as DataPath)];
  const keys = full.filter((k) => typeof k === 'string');
  const fill = (text: string) =>
    text
      .replace(/\{([01])\}/g, (_, n: string) => keys[keys.length - 1 - Number(n)] ?? '')
      .replace('{path}', pathOf(full).slice(1, -1));
  return fill(plainMessage(issue, root, what, name));
}

function plainMessage(
  issue: z.core.$ZodIssue,
  root: unknown,
  what: string | undefined,
  name: typeof subjectOf,
): string {
  const value = valueAt(root, issue.path as DataPath);
  const subject = name(issue.path as DataPath, what);
  const required =
    issue.message === 'is required' || (value === undefined && issue.message.startsWith('must '));
  if (required) return `${subject} is required`;
  if (!issue.message.startsWith('must ')) return issue.message;
  return `${subject} ${issue.message}, got ${kindOf(value)}`;
}

/**
 * Checks `value` against `schema`. A union none of whose options matched says only that it wanted one of them; when
 * one option got further into the value (`{ role: … }` without `role`), its own issue says more, so it is taken.
 */
function check<S extends z.ZodType>(schema: S, value: unknown) {
  const result = schema.safeParse(value, { error: defaultMessage });
  if (result.success) return result;
  return { ...result, issues: result.error.issues.map(deepest) };
}

function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const mismatch = (i: z.core.$ZodIssue) => i.code === 'invalid_type' || i.code === 'invalid_union';
  const inner = issue.errors.flat().filter((i) => i.path.length > 0 || !mismatch(i));
  const best = inner.sort((a, b) => b.path.length - a.path.length)[0];
  return best ? deepest({ ...best, path: [...issue.path, ...best.path] }) : issue;
}

/** Missing keys come last: a missing key is often a misspelt one, and the unknown key says so. */
const rank = (issue: z.core.$ZodIssue, root: unknown): number =>
  valueAt(root, issue.path as DataPath) === undefined && issue.code !== 'unrecognized_keys' ? 1 : 0;

/**
 * Parses the value at `path` of a loaded YAML file; the first problem (in file order) is thrown at its line:col
 * (an unknown key at the key itself).
 * @param what names the value when the problem is the value itself (e.g. "tasks")
 * @throws ValidationError at file:line:col
 * @example parseAt(phaseSchema, y, ['phases', 0]) // => the phase, typed
 */
export function parseAt<S extends z.ZodType>(
  schema: S,
  y: LoadedYaml,
  path: DataPath,
  value: unknown = valueAt(y.data, path),
  what?: string,
): z.output<S> {
  const result = check(schema, value);
  if (result.success) return result.data;
  const located = result.issues.map((issue) => {
    const at = [...path, ...(issue.path as DataPath)];
    const where =
      issue.code === 'unrecognized_keys'
        ? y.locateKey([...at, String(issue.keys[0])])
        : y.locate(at);
    return { issue, where, rank: rank(issue, value) };
  });
  located.sort(
    (a, b) => a.rank - b.rank || a.where.line - b.where.line || a.where.col - b.where.col,
  );
  const first = located[0]!;
  const name = what ?? (path[lastKeyIndex(path)] as string | undefined);
  throw new ValidationError(messageOf(first.issue, value, name, path), first.where);
}

/**
 * Parses rendered module arguments (they have no YAML positions left: errors point at the task).
 * @throws ValidationError at `where`, starting with the module's name for unknown and missing keys
 * @example parseArgs(fileArgs, { path: '/a' }, 'file', task.where) // => { path: '/a', state: 'directory' }
 */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  module: string,
  where: Where,
): z.output<S> {
  const result = check(schema, raw);
  if (result.success) return result.data;
  const issue = [...result.issues].sort((a, b) => rank(a, raw) - rank(b, raw))[0]!;
  const message = messageOf(issue, raw, module, [], pathOf);
  const required = message.endsWith(' is required');
  throw new ValidationError(required ? `${module}: ${message}` : message, where);
}

/**
 * Parses `value` with `schema` inside another schema's check or transform (`ctx`): a choice made from the value,
 * such as which registered kind a map names. Its issues become the outer schema's, with the same messages.
 * @returns the parsed value, or undefined when it did not pass
 */
export function parseInside<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: { issues: z.core.$ZodRawIssue[] },
): { data: z.output<S> } | undefined {
  const result = check(schema, value);
  if (result.success) return { data: result.data };
  for (const issue of result.issues)
    ctx.issues.push({
      ...issue,
      input: valueAt(value, issue.path as DataPath),
    } as z.core.$ZodRawIssue);
  return undefined;
}

/** The value at `path` of loaded data, or undefined. */
export function valueAt(root: unknown, path: DataPath): unknown {
  return path.reduce<unknown>(
    (node, key) => (node as Record<PropertyKey, unknown> | null | undefined)?.[key],
    root,
  );
}
