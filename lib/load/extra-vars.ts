// `-e` arguments parsed into variables: key=value, @file.yaml, or an inline JSON/YAML mapping.
import { UsageError, ValidationError } from '../shared/errors.ts';
import type { Vars } from '../shared/types.ts';
import { controlProblems } from './control-chars.ts';
import { parseYaml, readYaml } from './yaml.ts';
import type { LoadedYaml } from './yaml.ts';

/**
 * Parses `-e` arguments, later ones winning: `key=value` (the value stays a string; `key=` gives ""),
 * `@file.yaml` (a mapping), or an inline JSON/YAML mapping such as `{"a": 1}`.
 * @throws UsageError for an argument of none of these shapes; ConfigError/ValidationError (file:line:col) for files
 * @example parseExtraVars(['version=5.3.1', '@prod-overrides.yaml'])
 */
export function parseExtraVars(args: readonly string[]): Vars {
  const out: Vars = {};
  for (const arg of args) {
    const vars = parseExtraVar(arg);
    const problem = controlProblems(vars, () => (arg.startsWith('@') ? `-e ${arg}` : '-e'));
    if (problem) throw new UsageError(problem);
    Object.assign(out, vars);
  }
  return out;
}

function parseExtraVar(arg: string): Vars {
  if (arg.startsWith('@'))
    return mappingOf(readYaml(arg.slice(1)), `extra vars file "${arg.slice(1)}"`);
  if (arg.trim().startsWith('{'))
    return mappingOf(parseYaml(arg.trim(), '-e'), 'inline extra vars');
  const eq = arg.indexOf('=');
  const key = arg.slice(0, eq);
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new UsageError(
      `-e "${arg}": expected key=value (key: letters, digits, _), @file.yaml, or a mapping like '{"key": 1}'`,
    );
  }
  return { [key]: arg.slice(eq + 1) };
}

function mappingOf(y: LoadedYaml, what: string): Vars {
  const data = y.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ValidationError(
      `${what} must be a mapping of variable names to values, got ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}`,
      y.locate([]),
    );
  }
  return data as Vars;
}
