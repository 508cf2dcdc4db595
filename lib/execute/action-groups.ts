// How a task's actions become shell scripts: each action guarded on its own, consecutive actions sharing one exec.
import { quote } from '../shared/shell.ts';
import type { Action, ExecOptions } from '../shared/types.ts';

/**
 * Wraps one action so it runs with `set -e` on its own and stops the joined script, naming itself, when it fails.
 * A subshell rather than `sh -ec` (one process less per action). POSIX ignores -e on the left of `||` or `&&` and in
 * an `if` condition, nested subshells included, so no frame around an action may test it that way: each tests `$?`
 * on the next line instead (afterSubshell). The framing's own variables (the transport's `s`, `rc`) are unset and its
 * -u is off, so the script starts as under a fresh `sh -e`.
 */
export function guarded(action: Action): string {
  const failed = quote(`action failed: ${action.describe}`);
  const run = `( unset s rc; set -e +u; eval ${quote(action.script)} )`;
  return `${run}\nrc=$?; if [ "$rc" -ne 0 ]; then printf '%s\\n' ${failed} >&2; exit "$rc"; fi`;
}

/**
 * `head` (a subshell, maybe fed by a pipe) and then, on the next line, `onFailure` when it exited non-zero (`$rc` holds
 * the code). Never `( … ) || …`: that would void `set -e` in every action inside (guarded).
 * @example afterSubshell('( false )', 'exit "$rc"') // => '( false )\nrc=$?; if [ "$rc" -ne 0 ]; then exit "$rc"; fi'
 */
export function afterSubshell(head: string, onFailure: string): string {
  return `${head}\nrc=$?; if [ "$rc" -ne 0 ]; then ${onFailure}; fi`;
}

/** True for an action that reads its input on stdin (a string or a controller-side file). */
export const hasInput = (a: Action): boolean => a.stdin !== undefined || a.stdinFile !== undefined;

/** Splits actions into execs: consecutive actions share one exec as long as at most one of them reads stdin. */
export function groupActions(actions: Action[]): Action[][] {
  const groups: Action[][] = [];
  let current: Action[] = [];
  for (const action of actions) {
    // A controller-side action is a group of its own, in order between the host's scripts.
    if (action.run || current[0]?.run) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else if (hasInput(action) && current.some(hasInput)) {
      groups.push(current);
      current = [];
    }
    current.push(action);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The exec options of one group: its one input, and the sum of its actions' time limits. */
export function execOptions(group: Action[]): ExecOptions {
  const options: ExecOptions = {};
  const input = group.find(hasInput);
  if (input?.stdin !== undefined) options.stdin = input.stdin;
  if (input?.stdinFile !== undefined) options.stdinFile = input.stdinFile;
  const limits = group.map((a) => a.timeoutMs).filter((t): t is number => t !== undefined);
  if (limits.length > 0) options.timeoutMs = limits.reduce((a, b) => a + b, 0);
  return options;
}
