// The Handlebars helpers templates may use: comparisons, logic, defaults, list, string and number tools.
import { BOOLEAN_WORDS, toBoolean } from '../shared/booleans.ts';
import { TemplateError } from '../shared/errors.ts';
import { secretHelpers } from './secret-source.ts';

type Helper = (...args: unknown[]) => unknown;

/** Handlebars passes an options object last; helpers only want the values written in the template. */
const values = (args: unknown[]): unknown[] => args.slice(0, -1);

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b ||
  (typeof a !== typeof b &&
    a !== null &&
    b !== null &&
    typeof a !== 'object' &&
    typeof b !== 'object' &&
    String(a) === String(b));

function toNumber(value: unknown, helper: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n))
    throw new TemplateError(
      `helper "${helper}": ${JSON.stringify(value) ?? 'undefined'} is not a number`,
    );
  return n;
}

function toList(value: unknown, helper: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new TemplateError(
    `helper "${helper}": expected a list, got ${JSON.stringify(value) ?? 'undefined'}`,
  );
}

/** The one boolean coercion (lib/shared/booleans.ts): `no` is false, `maybe` is an error, never "truthy". */
function truth(value: unknown, helper: string): boolean {
  const bool = toBoolean(value);
  if (bool === undefined)
    throw new TemplateError(
      `helper "${helper}": ${JSON.stringify(value) ?? 'undefined'} is not a boolean (${BOOLEAN_WORDS})`,
    );
  return bool;
}

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

/** Indents every line but the first (the template already placed it), leaving blank lines blank. */
function indent(text: unknown, width: unknown): string {
  const pad = ' '.repeat(toNumber(width ?? 2, 'indent'));
  return String(text)
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

function length(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new TemplateError(
    `helper "len": expected a list, a string or a mapping, got ${JSON.stringify(value) ?? 'undefined'}`,
  );
}

/** Name → helper; each receives the template's values followed by Handlebars' options object (plugins add theirs). */
export const templateHelpers: Record<string, Helper> = {
  eq: (...a) => sameValue(a[0], a[1]),
  ne: (...a) => !sameValue(a[0], a[1]),
  lt: (...a) => toNumber(a[0], 'lt') < toNumber(a[1], 'lt'),
  gt: (...a) => toNumber(a[0], 'gt') > toNumber(a[1], 'gt'),
  and: (...a) => values(a).every(Boolean),
  or: (...a) => values(a).some(Boolean),
  not: (...a) => !a[0],
  default: (...a) => (isEmpty(a[0]) ? a[1] : a[0]),
  join: (...a) => toList(a[0], 'join').join(a.length > 2 ? String(a[1]) : ','),
  lower: (...a) => String(a[0]).toLowerCase(),
  upper: (...a) => String(a[0]).toUpperCase(),
  add: (...a) => values(a).reduce<number>((sum, v) => sum + toNumber(v, 'add'), 0),
  sub: (...a) => toNumber(a[0], 'sub') - toNumber(a[1], 'sub'),
  json: (...a) => JSON.stringify(a[0]),
  concat: (...a) =>
    Array.isArray(a[0])
      ? values(a).flatMap((v) => (Array.isArray(v) ? v : [v]))
      : values(a).map(String).join(''),
  split: (...a) => String(a[0]).split(a.length > 2 ? String(a[1]) : ','),
  includes: (...a) =>
    typeof a[0] === 'string'
      ? a[0].includes(String(a[1]))
      : toList(a[0], 'includes').some((v) => sameValue(v, a[1])),
  keys: (...a) => (a[0] !== null && typeof a[0] === 'object' ? Object.keys(a[0]) : []),
  len: (...a) => length(a[0]),
  replace: (...a) => String(a[0]).replaceAll(String(a[1]), String(a[2])),
  trim: (...a) => String(a[0]).trim(),
  indent: (...a) => indent(a[0], a.length > 2 ? a[1] : undefined),
  // Ansible's `ternary`: the second value when the first is true, else the third (a lone call keeps its type).
  ternary: (...a) => (truth(a[0], 'ternary') ? a[1] : a[2]),
  ...secretHelpers,
};
