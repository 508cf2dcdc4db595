// Shell text in a task must be literal: a templated value that lands in a string run by `sh -c` would be parsed by
// the shell (`-e 'name=$(touch /tmp/pwned)'`). Values travel as argv words, quoted by lib/shared/shell.ts `quote`.
import { ValidationError } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';

/** Arguments that hold shell text when they are strings (command `cmd`, service `guard`/`health`). */
const SHELL_TEXT_KEYS = ['cmd', 'guard', 'health', 'before_start'] as const;
/** Arguments that hold argv lists; `sh -c <script>` inside one makes <script> shell text. */
const ARGV_KEYS = ['argv', 'command', 'guard', 'health', 'before_start'] as const;
const SHELLS = /(^|\/)(sh|bash|dash|ash|ksh|zsh)$/;

const templated = (value: unknown): boolean => typeof value === 'string' && value.includes('{{');

function refuse(task: string, key: string, where: Where, what: string): never {
  throw new ValidationError(
    `task "${task}": "${key}" ${what}: a templated value must never be parsed by a shell. Write it as an argv list ` +
      `(each word is quoted), or pass values as positional arguments: [sh, -c, 'literal script using "$1"', name, "{{value}}"]`,
    where,
  );
}

/**
 * Refuses shell text built from templates: a string `cmd`/`guard`/`health` with `{{ }}` that renders to text (a lone
 * `{{ list_var }}` rendering to a list is argv, so it is fine), and a templated script after `sh -c` in an argv list.
 * @param raw the task's arguments as written; @param rendered the same arguments rendered for one host
 * @throws ValidationError naming the task, the argument and what to write instead
 */
export function refuseTemplatedShell(
  raw: unknown,
  rendered: unknown,
  task: string,
  where: Where,
): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
  const args = raw as Vars;
  const out = (rendered ?? {}) as Vars;
  for (const key of SHELL_TEXT_KEYS) {
    if (templated(args[key]) && typeof out[key] === 'string' && out[key] !== '')
      refuse(task, key, where, 'is shell text with {{ }}');
  }
  for (const key of ARGV_KEYS) {
    const list = args[key];
    if (!Array.isArray(list)) continue;
    list.forEach((word, i) => {
      if (
        word === '-c' &&
        i > 0 &&
        typeof list[i - 1] === 'string' &&
        SHELLS.test(list[i - 1] as string) &&
        templated(list[i + 1])
      ) {
        refuse(task, `${key}[${i + 1}]`, where, 'is a templated script after "sh -c"');
      }
    });
  }
}
