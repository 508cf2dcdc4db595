// command: runs a shell command or an argv list, unless its `creates` path exists or its `removes` path is missing.
import { posix } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import { cmd, globQuote, quote } from '../shared/shell.ts';
import type { Module, Plan, PlanContext, ProbeResult } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { commandArgs } from './args/command-args.ts';
import { change } from './content-changes.ts';

export interface CommandArgs {
  /** A shell command line run by sh, or an argv list run without a shell. */
  run: { shell: string } | { argv: string[] };
  creates?: string;
  removes?: string;
  chdir?: string;
  env: Record<string, string>;
}

/** A guard path as the command sees it: relative paths are taken from `chdir`, as the command runs there. */
const guardPath = (path: string, chdir: string | undefined): string =>
  chdir && !path.startsWith('/') ? posix.join(chdir, path) : path;

/** The command as one line for messages (argv words quoted, so it reads as it would be typed). */
export const commandText = (args: CommandArgs): string =>
  'shell' in args.run ? args.run.shell : cmd(...args.run.argv);

/** The script that runs the command: cd, exported variables, then the command itself. */
export function commandScript(args: CommandArgs): string {
  const lines = args.chdir ? [`${cmd('cd', '--', args.chdir)} || exit 1`] : [];
  for (const [key, value] of Object.entries(args.env))
    lines.push(`${key}=${quote(value)}; export ${key}`);
  // The shell form runs in its own sh, so its own exits and traps cannot reach the surrounding script.
  lines.push('shell' in args.run ? cmd('sh', '-c', args.run.shell) : cmd(...args.run.argv));
  return lines.join('\n');
}

/** Why the guards say not to run, or undefined when the command should run. */
function guardReason(
  args: CommandArgs,
  guard: ProbeResult | undefined,
  ctx: PlanContext,
): string | undefined {
  if (args.creates === undefined && args.removes === undefined) return undefined;
  if (guard?.code !== 0)
    throw new ValidationError(`${ctx.host}: cannot check the creates/removes paths of the command`);
  if (args.creates !== undefined && /^creates=1$/m.test(guard.stdout))
    return `"${args.creates}" exists`;
  if (args.removes !== undefined && /^removes=0$/m.test(guard.stdout))
    return `"${args.removes}" does not exist`;
  return undefined;
}

function planCommand(
  args: CommandArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  let reason: string | undefined;
  try {
    reason = guardReason(args, facts.get('guard'), ctx);
  } catch (error) {
    return { actions: [], changes: [], failure: (error as Error).message };
  }
  if (reason) return { actions: [], changes: [], reason };
  const text = commandText(args);
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return {
    actions: [{ describe: `run ${shown}`, script: commandScript(args) }],
    changes: [change('command', undefined, ctx.check ? `would run: ${shown}` : `run: ${shown}`)],
  };
}

/** Prints `<key>=1` when a path matching `pattern` exists (`*` and `?` match, nothing else is expanded), else `<key>=0`. */
function existsProbe(key: string, pattern: string): string {
  return `${key}=0; for f in ${globQuote(pattern)}; do if [ -e "$f" ]; then ${key}=1; break; fi; done; echo ${key}=$${key}`;
}

/** command: `cmd` (run by sh) or `argv` (list), `creates`, `removes`, `chdir`, `env`. */
export const commandModule: Module<CommandArgs> = {
  name: 'command',
  validate(raw, where) {
    const { cmd, argv, env, chdir, creates, removes } = parseArgs(
      commandArgs,
      raw,
      'command',
      where,
    );
    const args: CommandArgs = { run: cmd !== undefined ? { shell: cmd } : { argv: argv! }, env };
    if (chdir !== undefined) args.chdir = chdir;
    if (creates !== undefined) args.creates = guardPath(creates, chdir);
    if (removes !== undefined) args.removes = guardPath(removes, chdir);
    return args;
  },
  probes(args) {
    const lines: string[] = [];
    if (args.creates !== undefined) lines.push(existsProbe('creates', args.creates));
    if (args.removes !== undefined) lines.push(existsProbe('removes', args.removes));
    return lines.length > 0 ? [{ id: 'guard', script: lines.join('\n') }] : [];
  },
  plan: planCommand,
};
