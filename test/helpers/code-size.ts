// Measures formatted source for the style guide's size rules: lines per file and lines per function.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 250;
export const MAX_FUNCTION_LINES = 40;

/** One function-like node: where it is, what it is called, how many lines it spans. */
export interface FunctionSize {
  file: string;
  name: string;
  line: number;
  lines: number;
}

/** Every .ts/.mjs file under the given folders (relative to root), test files (`*.test.ts`) left out. */
export function sourceFiles(root: string, folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (/\.(ts|mjs)$/.test(entry) && !entry.endsWith('.test.ts')) out.push(path);
    }
  };
  for (const folder of folders) {
    if (statSync(join(root, folder)).isDirectory()) walk(folder);
    else out.push(folder);
  }
  return out.map((p) => relative('.', p));
}

/** Lines of a file as the formatter leaves it (a final newline does not count as a line). */
export function fileLines(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/** The name a reader would search for: the declaration's own, else the variable or property holding it. */
function functionName(node: ts.Node, source: ts.SourceFile): string {
  const named = node as { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText(source);
  return '(anonymous)';
}

/** Every function, method, arrow and accessor of a file with its line span (nested ones counted again). */
export function functionSizes(file: string, text: string): FunctionSize[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, name: functionName(node, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Files over MAX_FILE_LINES and functions over MAX_FUNCTION_LINES, as "path (N lines)" keys. */
export function oversized(root: string, files: string[]): { files: string[]; functions: string[] } {
  const big = { files: [] as string[], functions: [] as string[] };
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    if (fileLines(text) > MAX_FILE_LINES) big.files.push(file);
    for (const f of functionSizes(file, text))
      if (f.lines > MAX_FUNCTION_LINES) big.functions.push(`${file} ${f.name}`);
  }
  return big;
}
