// Where secrets come from: a file outside any git work tree that only its owner may read, or an environment variable.
// Templates call them as `{{secret_file '/etc/rmqd/admin.secret'}}` or `{{secret_env 'RMQD_ACL_ADMIN_SECRET'}}`;
// the value then lives only in a variable whose name looks secret (lib/report/redact.ts masks it in every event).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import process from 'node:process';
import { TemplateError } from '../shared/errors.ts';

/** The git work tree a path lies in (the folder holding `.git`), if any: a secret there could be committed. */
export function gitWorkTreeOf(path: string): string | undefined {
  let dir = dirname(resolve(path));
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Reads a secret file: absolute path, outside every git work tree, no permission for group or others (0600 or
 * 0400), not empty; one trailing newline is dropped. Errors name the file and what to do, never the content.
 * @throws TemplateError
 * @example readSecretFile('/etc/rmqd/admin.secret') // => 's3cret'
 */
export function readSecretFile(path: string): string {
  const fail = (why: string): never => {
    throw new TemplateError(`helper "secret_file": ${path}: ${why}`);
  };
  if (!isAbsolute(path))
    fail('give an absolute path (a secret file is never looked up relative to the run)');
  const tree = gitWorkTreeOf(path);
  if (tree !== undefined)
    fail(`the file is inside the git work tree ${tree}; keep secrets outside any repository`);
  let mode: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) fail('not a regular file');
    mode = st.mode & 0o777;
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    return fail(`cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if ((mode & 0o077) !== 0)
    fail(`mode ${mode.toString(8).padStart(4, '0')} lets group or others in; run chmod 600 on it`);
  const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (text === '') fail('the file is empty');
  if (/[\r\n]/.test(text)) fail('a secret file holds one line');
  return text;
}

/**
 * Reads a secret from the environment of the run (never from a command line, which `ps` shows).
 * @throws TemplateError when unset or empty
 */
export function readSecretEnv(
  name: string,
  env: Record<string, string | undefined> = process.env,
): string {
  if (!/^[A-Za-z_]\w*$/.test(name))
    throw new TemplateError(`helper "secret_env": ${JSON.stringify(name)} is not a variable name`);
  const value = env[name];
  if (value === undefined || value === '') {
    throw new TemplateError(
      `helper "secret_env": environment variable ${name} is not set; export it before the run`,
    );
  }
  return value;
}

/** The template helpers (Handlebars passes its options object last). */
export const secretHelpers: Record<string, (...args: unknown[]) => unknown> = {
  secret_file: (...a) => readSecretFile(String(a[0])),
  secret_env: (...a) => readSecretEnv(String(a[0])),
};
