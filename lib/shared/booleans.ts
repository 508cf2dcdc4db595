// The one boolean coercion: real booleans, and the words `-e` and YAML 1.1 habits use for them.
//
// Why: the yaml package reads YAML 1.2 (core schema), where `no`, `off` and `False`-like words are strings, and
// every `-e key=value` is a string; JavaScript would call all of them true. Nothing else counts as a boolean.

const WORDS = new Map<string, boolean>([
  ['true', true],
  ['yes', true],
  ['on', true],
  ['1', true],
  ['false', false],
  ['no', false],
  ['off', false],
  ['0', false],
]);

/** How the accepted words read in error messages and in the README. */
export const BOOLEAN_WORDS = 'true/false, yes/no, on/off or 1/0, in any case';

/**
 * A real boolean for a value in a boolean place, or undefined when the value is none of the accepted forms.
 * @example toBoolean('No') // => false
 * @example toBoolean('maybe') // => undefined
 */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') return WORDS.get(value.trim().toLowerCase());
  return undefined;
}
