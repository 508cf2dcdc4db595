// Handlebars' strict mode misses block helpers: lists the root variables `{{#if x}}` blocks read, refuses undefined ones.

/** A variable read by a block helper's condition (`{{#if name}}`), where the template says so. */
export type BlockRef = { name: string; helper: string; line: number; column: number };
/** Block helpers whose body keeps the caller's context; `each` and `with` change it (names there are the item's). */
const SAME_CONTEXT = new Set(['if', 'unless']);
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** The parts of Handlebars' AST nodes read here. */
export type AstNode = {
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
export function blockRefs(node: AstNode | undefined, out: BlockRef[] = []): BlockRef[] {
  if (!node || typeof node !== 'object') return out;
  if (node.type === 'Program') for (const child of node.body ?? []) blockRefs(child, out);
  if (node.type !== 'BlockStatement') return out;
  const helper = node.path?.original ?? '';
  if (BLOCK_HELPERS.has(helper)) for (const n of argumentsOf(node)) argumentRefs(n, helper, out);
  if (SAME_CONTEXT.has(helper)) blockRefs(node.program, out);
  blockRefs(node.inverse, out);
  return out;
}

/** Throws (as Handlebars would, with the position) for the first block variable the context lacks. */
export function checkBlockRefs(refs: readonly BlockRef[], context: unknown): void {
  for (const ref of refs) {
    if (context !== null && typeof context === 'object' && Object.hasOwn(context, ref.name))
      continue;
    throw Object.assign(new Error(`"${ref.name}" not defined in {{#${ref.helper}}}`), {
      lineNumber: ref.line,
      column: ref.column,
    });
  }
}
