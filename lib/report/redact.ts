// Secret masking: secret values (by variable name, nested keys, or secret_vars) become ******** wherever they appear.
import type { Vars } from '../shared/types.ts';

export const MASK = '********';

/**
 * Names that hold secrets, in any spelling (snake, camel, dotted): `acl_secret_key`, `secretKey`, `db.passwd`.
 * `secret_vars` itself only lists names, so it is left out.
 */
const SECRET_NAME =
  /pass(?:word|wd|phrase)|secret(?!_vars$)|token|api[_-]?key|private[_-]?key|credential/i;
// Names of where a secret lives (`ansible_ssh_private_key_file`) hold paths, not secrets.
const WHERE_NAME = /(_file|_path|_dir|File|Path|Dir)$/;
// Very short values would mask ordinary words everywhere; such values are not secrets worth the name.
const MIN_SECRET_LENGTH = 3;

/**
 * True when a variable or key name (its last dotted part, or the whole) looks like it holds a secret.
 * @example isSecretName('acl.secretKey') // => true
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !WHERE_NAME.test(name);
}

/** Every string or number inside a value (lists and mappings deeply). */
function leaves(value: unknown, out: string[]): void {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) leaves(v, out);
}

/**
 * Secrets already found under a shared mapping (every host's `hostvars` and `groups` are the same objects), by
 * the path it was reached at and the names listed in `secret_vars`: walking hostvars once per host is O(hosts²).
 */
export type SecretMemo = WeakMap<object, Map<string, string[]>>;

/** What one walk needs besides the value: the listed names, where found values go, and the memo. */
interface Walk {
  listed: ReadonlySet<string>;
  listedKey: string;
  memo: SecretMemo | undefined;
}

/** Walks a mapping: a secret name takes every value under it; other mappings are searched by their keys. */
function collect(value: unknown, path: string, walk: Walk, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) collect(v, path, walk, out);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const byPath = walk.memo?.get(value) ?? new Map<string, string[]>();
  const key = `${path}\u0000${walk.listedKey}`;
  const known = byPath.get(key);
  if (known !== undefined) {
    for (const secret of known) out.push(secret);
    return;
  }
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const name = path === '' ? key : `${path}.${key}`;
    if (walk.listed.has(name) || walk.listed.has(key) || isSecretName(key)) leaves(inner, found);
    else collect(inner, name, walk, found);
  }
  for (const secret of found) out.push(secret);
  if (walk.memo === undefined || path === '') return;
  byPath.set(key, found);
  walk.memo.set(value, byPath);
}

/**
 * Collects the secret values of one variable set: vars (or nested keys) named in `secret_vars` or whose name
 * looks secret, with everything below them.
 * @param memo shared by the calls over one run's hosts, so mappings they share are walked once
 * @example secretValues({ db_password: 'hunter22', acl: { secretKey: 'sk-1234' }, port: 1 }) // => ['hunter22', 'sk-1234']
 */
export function secretValues(vars: Vars, memo?: SecretMemo): string[] {
  const listed = new Set(Array.isArray(vars.secret_vars) ? vars.secret_vars.map(String) : []);
  const found: string[] = [];
  collect(vars, '', { listed, listedKey: [...listed].sort().join('\u0000'), memo }, found);
  return found.filter((text) => text.length >= MIN_SECRET_LENGTH);
}

/** A function that masks every known secret inside any JSON-like value. */
export type Redactor = <T>(value: T) => T;

// `key=value`, `key: value` or `key value` on one line (properties, YAML, conf files), the key possibly quoted.
const KEY_LINE = /^(\s*["']?)([\w.-]+)(["']?\s*[:=]\s*|\s+)(.*?)(\s*)$/;

/**
 * The value of a line whose key looks secret (`acl.secretKey=abc` → 'abc'), else undefined.
 * @example secretOfLine('  password: hunter22') // => 'hunter22'
 */
export function secretOfLine(line: string): string | undefined {
  const m = KEY_LINE.exec(line);
  return m && isSecretName(m[2] as string) && (m[4] as string) !== ''
    ? (m[4] as string)
    : undefined;
}

/** The item name a Change is about, without labels such as "runtime change " or "unknown key ". */
const itemKey = (item: string): string => item.split(' ').at(-1) ?? item;

/** Secret values found by shape: changes of secret keys, and secret lines in file texts and line changes. */
function learn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) learn(v, found);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  const secretItem = typeof record.item === 'string' && isSecretName(itemKey(record.item));
  for (const side of ['before', 'after'] as const) {
    const text = record[side];
    if (typeof text !== 'string') continue;
    // A runtime change reads `value (set at run time, …)`: the value alone is the secret.
    if (secretItem) {
      found.add(text.trim());
      found.add(text.split(' (')[0]?.trim() ?? '');
    }
    for (const line of text.split('\n')) {
      const secret = secretOfLine(line);
      if (secret !== undefined) found.add(secret);
    }
  }
  for (const v of Object.values(record)) learn(v, found);
}

/**
 * Builds a redactor over the given secrets; longest first so a secret containing another is fully masked.
 * It also learns secrets from what it masks: the old value of a secret key on a host (a Change of
 * `acl.secretKey`, a `password=` line of a file diff) is masked in that event and in every later one.
 * @example makeRedactor(['s3cret'])({ msg: 'pw=s3cret' }) // => { msg: 'pw=********' }
 */
export function makeRedactor(secrets: Iterable<string>): Redactor {
  const known = new Set<string>();
  let list: string[] = [];
  const add = (values: Iterable<string>): void => {
    const before = known.size;
    for (const s of values) if (s.length >= MIN_SECRET_LENGTH && s !== MASK) known.add(s);
    if (known.size !== before) list = [...known].sort((a, b) => b.length - a.length);
  };
  add(secrets);
  const maskText = (text: string): string =>
    list.reduce((acc, secret) => acc.replaceAll(secret, MASK), text);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return maskText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return <T>(value: T): T => {
    const found = new Set<string>();
    learn(value, found);
    add(found);
    return list.length === 0 ? value : (walk(value) as T);
  };
}

/**
 * Masks the message (and stack) of an error thrown after planning, so a failure never prints a secret.
 * @example throw redactError(planned.redact, error)
 */
export function redactError(redact: Redactor, error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redact(error) : error;
  error.message = redact(error.message);
  if (error.stack !== undefined) error.stack = redact(error.stack);
  return error;
}
