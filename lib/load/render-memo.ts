// Renders a template once for every host that gives it the same root variables (a `{{#each hostvars}}` block): same text.
import type { Vars } from '../shared/types.ts';

/** The parts of Handlebars' AST nodes read here. */
type Node = {
  type?: string;
  path?: Node;
  params?: Node[];
  hash?: { pairs?: Array<{ value: Node }> };
  program?: Node;
  inverse?: Node;
  body?: Node[];
  original?: string;
  parts?: string[];
  data?: boolean;
  depth?: number;
};

/** Block helpers whose meaning is known: `each` and `with` change the context of their body, `if`/`unless` do not. */
const SCOPING = new Set(['each', 'with']);
const KNOWN_BLOCKS = new Set([...SCOPING, 'if', 'unless']);
const LITERALS = new Set([
  'StringLiteral',
  'NumberLiteral',
  'BooleanLiteral',
  'UndefinedLiteral',
  'NullLiteral',
]);
const ITERATION_DATA = new Set(['key', 'index', 'first', 'last']);

/** Adds the root variable a path reads; false when the path reads what this file does not follow. */
function readPath(node: Node, scoped: boolean, reads: Set<string>): boolean {
  if (LITERALS.has(node.type ?? '')) return true;
  if (node.type !== 'PathExpression') return false;
  const parts = node.parts ?? [];
  if (node.data) {
    if (parts[0] === 'root' && parts[1] !== undefined) reads.add(parts[1]);
    return parts[0] === 'root' ? parts[1] !== undefined : ITERATION_DATA.has(parts[0] ?? '');
  }
  if ((node.depth ?? 0) > 0) return false;
  // Inside `each`/`with` a path reads the item, which comes from a root variable already counted.
  if (scoped) return true;
  const name = parts[0];
  if (name === undefined || /^this\b/.test(node.original ?? '')) return false;
  reads.add(name);
  return true;
}

/** Walks a template body; false at any helper call, partial or decorator (they may read anything). */
function readBody(
  program: Node | undefined,
  scoped: boolean,
  reads: Set<string>,
  isHelper: (name: string) => boolean,
): boolean {
  for (const node of program?.body ?? []) {
    if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
    const args = [...(node.params ?? []), ...(node.hash?.pairs ?? []).map((p) => p.value)];
    const name = node.path?.original ?? '';
    if (node.type === 'MustacheStatement') {
      if (args.length > 0 || isHelper(name) || !node.path) return false;
      if (!readPath(node.path, scoped, reads)) return false;
      continue;
    }
    if (node.type !== 'BlockStatement' || !KNOWN_BLOCKS.has(name)) return false;
    if (!args.every((arg) => readPath(arg, scoped, reads))) return false;
    const inner = scoped || SCOPING.has(name);
    if (!readBody(node.program, inner, reads, isHelper)) return false;
    if (!readBody(node.inverse, scoped, reads, isHelper)) return false;
  }
  return true;
}

/**
 * The root variables a template reads, or undefined when it calls a helper, a partial or reads the whole context:
 * then its text may depend on more than these variables and it is never rendered from a memo.
 * @example rootReads(hb.parse('{{#each hostvars}}{{this.ansible_host}}{{/each}}'), () => false) // => ['hostvars']
 */
export function rootReads(ast: unknown, isHelper: (name: string) => boolean): string[] | undefined {
  const reads = new Set<string>();
  return readBody(ast as Node, false, reads, isHelper) ? [...reads] : undefined;
}

/** Enough for the templates that read only shared mappings; per-host texts are not worth keeping. */
const MEMO_ENTRIES = 64;

/**
 * Wraps a render function so that contexts with the very same values (the same objects, equal primitives, the
 * same absent names) under `reads` get the text rendered the first time. Errors are never kept.
 */
export function memoized(
  reads: readonly string[] | undefined,
  render: (context: unknown) => string,
): (context: unknown) => string {
  if (reads === undefined) return render;
  const ids = new WeakMap<object, number>();
  let lastId = 0;
  const texts = new Map<string, string>();
  const keyOf = (context: Vars): string =>
    reads
      .map((name) => {
        if (!Object.hasOwn(context, name)) return '-';
        const value = context[name];
        if ((typeof value !== 'object' || value === null) && typeof value !== 'function')
          return `${typeof value}:${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
        let id = ids.get(value);
        if (id === undefined) {
          id = ++lastId;
          ids.set(value, id);
        }
        return `#${id}`;
      })
      .join('\u0001');
  return (context) => {
    if (context === null || typeof context !== 'object') return render(context);
    const key = keyOf(context as Vars);
    const known = texts.get(key);
    if (known !== undefined) return known;
    const text = render(context);
    if (texts.size < MEMO_ENTRIES) texts.set(key, text);
    return text;
  };
}
