// How a task's actions become shell scripts: each action guarded on its own, consecutive actions sharing one exec.
import { quote } from '../shared/shell.ts';
import type { Action, ExecOptions } from '../shared/types.ts';

/** Wraps one action so it runs with `set -e` on its own and stops the joined script, naming itself, when it fails. */
export function guarded(action: Action): string {
  const failed = quote(`action failed: ${action.describe}`);
  return `sh -ec ${quote(action.script)} || { rc=$?; printf '%s\\n' ${failed} >&2; exit "$rc"; }`;
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
