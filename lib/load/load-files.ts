// Load stage: the templates and `src` files tasks may use, read once into data so planning never opens a file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { TaskSpec } from '../shared/types.ts';

/** One path the loader looked at: its text, or why it could not be read (`exists` false: no such file). */
export interface LoadedFile {
  exists: boolean;
  text?: string;
  error?: string;
}

/** Path → what the loader found there; the planner's only view of the controller's files. */
export type LoadedFiles = ReadonlyMap<string, LoadedFile>;

/** Where a role keeps its templates and files (the loaded roles of roles.ts have both). */
export interface RoleFolders {
  name: string;
  templatesDir: string;
  filesDir: string;
}

/** Files past this size are noted as present but not read: copy takes text, unarchive only needs the path. */
const MAX_TEXT = 16 * 1024 * 1024;

/** Archives are only ever passed by path (unarchive streams them at execution), so they are not read. */
const ARCHIVE = /\.(tar\.gz|tgz|zip|jar)$/;

function readEntry(path: string): LoadedFile {
  try {
    if (ARCHIVE.test(path) && statSync(path).isFile())
      return { exists: true, error: 'an archive, not text' };
    const tooLarge = `larger than ${MAX_TEXT} bytes, too large for copy or template`;
    if (statSync(path).size > MAX_TEXT) return { exists: true, error: tooLarge };
    return { exists: true, text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { exists: existsSync(path), error: (error as Error).message };
  }
}

/** Every file below `dir` (none when it is missing), read. */
function walk(dir: string, out: Map<string, LoadedFile>): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.set(path, readEntry(path));
  }
}

/**
 * The candidates of a literal `src` (no `{{`), as the planner will try them: the role's folder, then the playbook's.
 * A templated `src` is only found inside the role's folders, which are read whole.
 */
function srcCandidates(
  task: TaskSpec,
  role: RoleFolders | undefined,
  playbookDir: string,
): string[] {
  const src = task.args.src;
  if (typeof src !== 'string' || src.includes('{{')) return [];
  if (isAbsolute(src)) return [src];
  const own = task.module === 'template' ? role?.templatesDir : role?.filesDir;
  return [own, playbookDir].filter((d): d is string => d !== undefined).map((d) => join(d, src));
}

/**
 * Reads what planning may need: every file of the roles' templates/ and files/ folders, and each literal `src`
 * beside the playbook. A literal `src` found nowhere is tried at its first candidate, so its read error is the
 * one the operator would have seen.
 * @example loadFiles('playbooks/site.yaml', roles, playbook.phases.flatMap((p) => [...p.tasks, ...p.handlers]))
 */
export function loadFiles(
  playbookFile: string,
  roles: Iterable<RoleFolders>,
  tasks: TaskSpec[],
): LoadedFiles {
  const out = new Map<string, LoadedFile>();
  const byName = new Map<string, RoleFolders>();
  for (const role of roles) {
    byName.set(role.name, role);
    walk(role.templatesDir, out);
    walk(role.filesDir, out);
  }
  for (const task of tasks) {
    const role = task.role === undefined ? undefined : byName.get(task.role);
    const candidates = srcCandidates(task, role, dirname(playbookFile));
    const found = candidates.find((c) => out.get(c)?.exists ?? existsSync(c)) ?? candidates[0];
    if (found !== undefined && !out.has(found)) out.set(found, readEntry(found));
  }
  return out;
}
