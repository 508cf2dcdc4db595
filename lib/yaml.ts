// YAML loading with source positions, so every later error can point at file:line:col.
import { readFileSync } from 'node:fs';
import { isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { ConfigError } from './errors.ts';
import type { Where } from './types.ts';

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

/**
 * Reads and parses one YAML file.
 * @throws ConfigError when the file is missing or unreadable, or its YAML is invalid
 * @example readYaml('inventory/prod/hosts.yaml').locate(['all', 'hosts', 'mq1'])
 */
export function readYaml(file: string): LoadedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file; create it or check the path' : code === 'EISDIR' ? 'it is a folder, not a file' : String((err as Error).message);
    throw new ConfigError(`cannot read "${file}": ${why}`);
  }
  return parseYaml(text, file);
}

/**
 * Parses YAML text; `file` names the source in positions and errors.
 * @throws ConfigError at file:line:col on syntax errors, duplicate keys, bad aliases or unquoted `{{`
 */
export function parseYaml(text: string, file: string): LoadedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number): Where => ({ file, ...lineCounter.linePos(offset) });
  const first = doc.errors[0];
  if (first) throw syntaxError(first, text, at);
  rejectCollectionKeys(doc, at);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ConfigError(`invalid YAML: ${(err as Error).message}`, { file, line: 1, col: 1 });
  }
  return {
    file,
    data,
    locate: (path) => at(startOf(walk(doc.contents, path, false))),
    locateKey: (path) => at(startOf(walk(doc.contents, path, true))),
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

/** `key: {{ x }}` parses as a mapping used as a key; say how to fix it instead of loading nonsense. */
function rejectCollectionKeys(doc: Document, at: (offset: number) => Where): void {
  visit(doc, {
    Pair(_key, pair) {
      if (isCollection(pair.key)) {
        const offset = (pair.key as Node).range?.[0] ?? 0;
        throw new ConfigError('invalid YAML: a mapping or list is used as a key; quote values that start with "{{", e.g. "{{ x }}"', at(offset));
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
function walk(root: unknown, path: ReadonlyArray<string | number>, wantKey: boolean): unknown {
  let node = root;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
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
