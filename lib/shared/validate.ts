// Hand-written argument checks of the modules not yet declared as schemas (lib/modules/args/, lib/shared/schema.ts).
import { BOOLEAN_WORDS, toBoolean } from './booleans.ts';
import { ValidationError } from './errors.ts';
import type { Vars, Where } from './types.ts';

const kind = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'a mapping'
        : `${typeof value} ${JSON.stringify(value)}`;

/**
 * Throws unless `value` is a mapping; returns it typed.
 * @example expectMap([1], 'env', where) // throws '"env" must be a mapping (name: value lines), got a list'
 */
export function expectMap(value: unknown, key: string, where: Where): Vars {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(
      `"${key}" must be a mapping (name: value lines), got ${kind(value)}`,
      where,
    );
  }
  return value as Vars;
}

/** Throws when `map` has keys outside `allowed`, naming them and the allowed ones. */
export function rejectUnknownKeys(
  map: Vars,
  allowed: readonly string[],
  what: string,
  where: Where,
): void {
  const unknown = Object.keys(map).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new ValidationError(
      `${what}: unknown key "${unknown[0]}" (known: ${allowed.join(', ')})`,
      where,
    );
  }
}

export function expectString(value: unknown, key: string, where: Where): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string')
    throw new ValidationError(`"${key}" must be a string, got ${kind(value)}`, where);
  return value;
}

export function optionalString(value: unknown, key: string, where: Where): string | undefined {
  return value === undefined || value === null ? undefined : expectString(value, key, where);
}

/** Accepts a whole number (or its decimal string form, as templated values arrive) within bounds. */
export function expectInt(
  value: unknown,
  key: string,
  where: Where,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const n =
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ValidationError(
      `"${key}" must be a whole number from ${min} to ${max}, got ${kind(value)}`,
      where,
    );
  }
  return n;
}

/** Accepts a boolean after the one coercion of lib/shared/booleans.ts (true/false, yes/no, on/off, 1/0, any case). */
export function expectBool(value: unknown, key: string, where: Where): boolean {
  const bool = toBoolean(value);
  if (bool === undefined)
    throw new ValidationError(
      `"${key}" must be a boolean (${BOOLEAN_WORDS}), got ${kind(value)}`,
      where,
    );
  return bool;
}

export function expectOneOf<T extends string>(
  value: unknown,
  key: string,
  choices: readonly T[],
  where: Where,
): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new ValidationError(
      `"${key}" must be one of ${choices.join(', ')}, got ${kind(value)}`,
      where,
    );
  }
  return value as T;
}

/** Accepts a list of strings, or one string as a list of one. */
export function expectStringList(value: unknown, key: string, where: Where): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value))
    throw new ValidationError(`"${key}" must be a list of strings, got ${kind(value)}`, where);
  return value.map((item, i) => expectString(item, `${key}[${i}]`, where));
}
