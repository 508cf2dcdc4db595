// YAML loading with source positions, so every later error can point at file:line:col.
import { lstatSync, readFileSync, readlinkSync, type Stats, statSync } from 'node:fs';
import {
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from 'yaml';
import type { Document, Node, Pair, YAMLError, YAMLMap } from 'yaml';
import { ConfigError } from '../shared/errors.ts';
import type { Where } from '../shared/types.ts';

/** A parsed YAML file: its plain data plus a way to find where any value came from. */
export interface LoadedYaml {
  file: string;
  data: unknown;
  /** Position of the value at `path`, or of its nearest existing parent. */
  locate(path: ReadonlyArray<string | number>): Where;
  /** Position of the key of the last path segment (the value's own position for list items). */
  locateKey(path: ReadonlyArray<string | number>): Where;
}

/** Plain words for the parser's error codes that read poorly on their own. */
const PLAIN: Record<string, string> = {
  DUPLICATE_KEY: 'duplicate key (a key may appear only once in a mapping)',
  BAD_INDENT: 'wrong indentation',
  MISSING_CHAR: 'missing character',
  MULTIPLE_DOCS: 'more than one YAML document in a file (remove the "---" separators)',
  TAB_AS_INDENT: 'tabs are not allowed for indentation; use spaces',
};

/** Largest YAML file read (inventory, vars, playbook, -e @file): 16 MiB, about 200k hosts; larger ones are refused unread. */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;

/**
 * Reads and parses one YAML file. The file is stat()ed first: a FIFO, socket or device is never opened (reading a FIFO
 * would wait forever), and a file over MAX_YAML_BYTES is refused before it is read.
 * @throws ConfigError when the file is missing, not a regular file, too big or unreadable, or its YAML is invalid
 * @example readYaml('inventory/prod/hosts.yaml').locate(['all', 'hosts', 'mq1'])
 */
export function readYaml(file: string): LoadedYaml {
  const problem = regularFileProblem(file);
  if (problem !== undefined) throw new ConfigError(`cannot read "${file}": ${problem}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read "${file}": ${(err as Error).message}`);
  }
  return parseYaml(text, file);
}

/** Why `file` is not a readable regular file of an acceptable size (following symlinks), or undefined. */
export function regularFileProblem(file: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ENOENT') return String((err as Error).message);
    const link = symlinkTarget(file);
    return link === undefined
      ? 'no such file; create it or check the path'
      : `it is a symbolic link to "${link}", which does not exist; fix or remove the link`;
  }
  if (stats.isDirectory()) return 'it is a folder, not a file';
  if (!stats.isFile())
    return `it is ${specialKind(stats)}, not a regular file; remove it or move it out of this folder`;
  if (stats.size > MAX_YAML_BYTES) {
    return `it is ${stats.size} bytes (${(stats.size / 1048576).toFixed(1)} MiB), over the ${MAX_YAML_BYTES / 1048576} MiB limit for one YAML file; split it (group_vars/ and host_vars/ files)`;
  }
  return undefined;
}

function symlinkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function specialKind(stats: ReturnType<typeof statSync> & object): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * Parses YAML text; `file` names the source in positions and errors.
 * @throws ConfigError at file:line:col on syntax errors, duplicate keys, bad aliases or unquoted `{{`
 */
export function parseYaml(text: string, file: string): LoadedYaml {
  const lineCounter = new LineCounter();
  // uniqueKeys compares each key with every earlier one (quadratic: 14k hosts took 15 s); checkKeys() uses a Set.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    merge: true,
  });
  const at = (offset: number): Where => ({ file, ...lineCounter.linePos(offset) });
  const first = doc.errors[0];
  if (first) throw syntaxError(first, text, at);
  checkKeys(doc, at);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ConfigError(`invalid YAML: ${(err as Error).message}`, { file, line: 1, col: 1 });
  }
  // This document's mappings indexed by key on first lookup (lives as long as the LoadedYaml).
  const pairs: PairIndex = new Map();
  return {
    file,
    data,
    locate: (path) => at(startOf(walk(doc.contents, path, false, pairs))),
    locateKey: (path) => at(startOf(walk(doc.contents, path, true, pairs))),
  };
}

function syntaxError(error: YAMLError, text: string, at: (offset: number) => Where): ConfigError {
  const where = at(error.pos[0]);
  let words = PLAIN[error.code] ?? error.message;
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^[^\s:]+/.exec(text.slice(error.pos[0]))?.[0];
    if (key) words = `duplicate key "${key}" (a key may appear only once in a mapping)`;
  } else if (PLAIN[error.code] && error.code !== 'MULTIPLE_DOCS') {
    words = `${words}: ${error.message}`;
  }
  return new ConfigError(`invalid YAML: ${words}`, where);
}

/**
 * One pass over every mapping: a collection used as a key (`key: {{ x }}` parses so) gets a fix hint; a scalar key
 * seen twice in one mapping is a duplicate (merge keys `<<` may repeat).
 */
function checkKeys(doc: Document, at: (offset: number) => Where): void {
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (isCollection(pair.key)) {
          const offset = (pair.key as Node).range?.[0] ?? 0;
          throw new ConfigError(
            'invalid YAML: a mapping or list is used as a key; quote values that start with "{{", e.g. "{{ x }}"',
            at(offset),
          );
        }
        if (!isScalar(pair.key) || pair.key.value === '<<') continue;
        const name = String(pair.key.value);
        if (seen.has(name))
          throw new ConfigError(
            `invalid YAML: duplicate key "${name}" (a key may appear only once in a mapping)`,
            at(startOf(pair.key)),
          );
        seen.add(name);
      }
    },
  });
}

/** `key:` with nothing after it has an empty scalar; its key is the useful place to point at. */
function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const range = (value as Node).range;
  return isScalar(value) && value.value === null && !!range && range[0] === range[1];
}

function startOf(node: unknown): number {
  const range = (node as Node | null)?.range;
  return range ? range[0] : 0;
}

/** Follows `path` through the node tree; stops at the deepest node that exists. */
function walk(
  root: unknown,
  path: ReadonlyArray<string | number>,
  wantKey: boolean,
  pairs: PairIndex,
): unknown {
  let node = root;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = indexOf(node, pairs).get(String(segment));
      if (!pair) return node;
      if (last && wantKey) return pair.key;
      node = isEmptyValue(pair.value) ? pair.key : pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined || item === null) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

/** Each mapping's pairs by key, built on first lookup, so locating N values of an N-key mapping stays linear. */
type PairIndex = Map<YAMLMap, Map<string, Pair>>;

function indexOf(map: YAMLMap, pairIndex: PairIndex): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items)
      if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value)))
        index.set(String(p.key.value), p as Pair);
    pairIndex.set(map, index);
  }
  return index;
}
