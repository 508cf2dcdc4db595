// Secret masking: values of secret variables are replaced by ******** in every event, diff, message and report.
import type { Vars } from './types.ts';

export const MASK = '********';

const SECRET_NAME = /password|secretkey/i;
// Very short values would mask ordinary words everywhere; such values are not secrets worth the name.
const MIN_SECRET_LENGTH = 3;

/**
 * Collects the secret values of one variable set: vars named in `secret_vars` or whose name looks secret.
 * @example secretValues({ db_password: 'hunter22', port: 1 }) // => ['hunter22']
 */
export function secretValues(vars: Vars): string[] {
  const listed = Array.isArray(vars['secret_vars']) ? vars['secret_vars'].map(String) : [];
  const found: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    if (!listed.includes(name) && !SECRET_NAME.test(name)) continue;
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const text = String(value);
    if (text.length >= MIN_SECRET_LENGTH) found.push(text);
  }
  return found;
}

/** A function that masks every known secret inside any JSON-like value. */
export type Redactor = <T>(value: T) => T;

/**
 * Builds a redactor over the given secrets; longest first so a secret containing another is fully masked.
 * @example makeRedactor(['s3cret'])({ msg: 'pw=s3cret' }) // => { msg: 'pw=********' }
 */
export function makeRedactor(secrets: Iterable<string>): Redactor {
  const list = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const maskText = (text: string): string => list.reduce((acc, secret) => acc.replaceAll(secret, MASK), text);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return maskText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return <T>(value: T): T => (list.length === 0 ? value : (walk(value) as T));
}
