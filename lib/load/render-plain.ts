// Plain substitution templates (`{{a}}/conf`, a properties file of `key={{var}}` lines) rendered without Handlebars' per-call setup.
import type { Vars } from '../shared/types.ts';

/**
 * A template made of literal text and `{{ a.b }}` references only: the literal parts, and between each two of them
 * the path of one reference. Anything else (helpers, blocks, comments, `{{{`, `~`, `\{{`, `this`, literals such as
 * `{{true}}`, braces in the text) is not plain, and Handlebars renders it as before.
 */
export interface PlainTemplate {
  texts: string[];
  paths: string[][];
}

const REFERENCE = /\{\{[ \t]*([^{}]*?)[ \t]*\}\}/g;
const SEGMENT = /^[A-Za-z_][\w-]*$/;
/** Words Handlebars reads as something other than a variable. */
const NOT_VARIABLES = new Set(['this', 'else', 'true', 'false', 'null', 'undefined']);

/**
 * The plain form of a template source, or undefined when Handlebars must render it.
 * @example plainTemplate('{{root}}/conf') // => { texts: ['', '/conf'], paths: [['root']] }
 */
export function plainTemplate(source: string): PlainTemplate | undefined {
  const texts: string[] = [];
  const paths: string[][] = [];
  let from = 0;
  for (const match of source.matchAll(REFERENCE)) {
    const path = (match[1] ?? '').split('.');
    if (!path.every((part) => SEGMENT.test(part) && !NOT_VARIABLES.has(part))) return undefined;
    texts.push(source.slice(from, match.index));
    paths.push(path);
    from = (match.index ?? 0) + match[0].length;
  }
  texts.push(source.slice(from));
  // Any other brace or backslash-brace is Handlebars syntax (or an escape) this reader does not take apart.
  return texts.some((text) => /[{}]/.test(text) || text.endsWith('\\'))
    ? undefined
    : { texts, paths };
}

/**
 * Renders a plain template the way Handlebars (strict, noEscape) does, or returns undefined when a reference is not
 * an own variable holding a string, number or boolean, or its first name is a helper (Handlebars would call it): the
 * caller then lets Handlebars render it, with Handlebars' own result or error.
 * @param isHelper tells which names Handlebars would call as helpers
 * @example renderPlain(plainTemplate('{{a}}!')!, { a: 1 }, () => false) // => '1!'
 */
export function renderPlain(
  template: PlainTemplate,
  context: Vars,
  isHelper: (name: string) => boolean,
): string | undefined {
  let out = template.texts[0] ?? '';
  for (const [index, path] of template.paths.entries()) {
    if (isHelper(path[0] ?? '')) return undefined;
    let value: unknown = context;
    for (const part of path) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
        return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    const kind = typeof value;
    if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') return undefined;
    // `+` as Handlebars' compiled code joins its outputs.
    out += (value as string) + (template.texts[index + 1] ?? '');
  }
  return out;
}
