// Lint of broker.properties values before any host is touched: legacy, unknown, wrong-case, mistyped and padded values.
import { suggest } from '../shared/suggest.ts';
import type { Vars } from '../shared/types.ts';
import {
  BROKER_KEY_VARS,
  DERIVED_BROKER_KEYS,
  ENUMS,
  kindOf,
  LEGACY_BROKER_KEYS,
} from './broker-lint-keys.ts';
import type { BrokerInstance } from './topology.ts';

/** One value headed for broker.properties, with the variable and file it came from (for messages). */
export interface LintEntry {
  key: string;
  value: unknown;
  /** e.g. "broker_properties.deleteWhen" or "broker_instances[0].properties.listenPort". */
  variable: string;
  /** " (set in file:line:col)" or "". */
  at: string;
}

export interface LintResult {
  errors: string[];
  warnings: string[];
  /** Final extra properties per instance after legacy keys were translated (only with translate). */
  translated: Map<string, string>;
}

/** What is wrong with one value for its key's kind, or undefined. */
export function valueProblem(key: string, value: unknown): string | undefined {
  const text = String(value);
  if (/^\s|\s$/.test(text))
    return `value ${JSON.stringify(text)} has leading or trailing spaces, which RocketMQ keeps and then fails to parse (the setting is silently dropped); remove them`;
  if (/\s#/.test(text))
    return `value ${JSON.stringify(text)} holds an inline "#" comment, which .properties files treat as part of the value; move the comment to its own line`;
  const kind = kindOf(key);
  if (kind === 'int' && !/^-?\d+$/.test(text))
    return `value ${JSON.stringify(text)} is not a whole number`;
  if (kind === 'bool' && text !== 'true' && text !== 'false')
    return `value ${JSON.stringify(text)} must be true or false`;
  const choices = kind === undefined ? undefined : ENUMS[kind];
  if (choices && !choices.includes(text)) {
    const fixed = choices.find((c) => c === text.toUpperCase());
    return fixed
      ? `value ${JSON.stringify(text)} has the wrong case (RocketMQ ignores it and keeps its default); write ${fixed}`
      : `value ${JSON.stringify(text)} must be one of ${choices.join(', ')}`;
  }
  return undefined;
}

/** The values of one instance the lint looks at: emitting variables the host sets, then broker_properties, then the instance's own. */
export function lintEntries(
  instance: BrokerInstance,
  vars: Vars,
  sourceOf: (variable: string) => string,
): LintEntry[] {
  const entries: LintEntry[] = [];
  for (const [key, { variable }] of Object.entries(BROKER_KEY_VARS)) {
    if (
      vars[variable] !== undefined &&
      !(typeof vars[variable] === 'string' && String(vars[variable]).includes('{{'))
    ) {
      entries.push({ key, value: vars[variable], variable, at: sourceOf(variable) });
    }
  }
  if (instance.declaredRole !== undefined) {
    entries.push({
      key: 'brokerRole',
      value: instance.declaredRole,
      variable: `${instance.origin.replace(/^host \S+: /, '')}.broker_role`,
      at: instance.at,
    });
  }
  const shared = vars.broker_properties;
  if (shared !== null && typeof shared === 'object' && !Array.isArray(shared)) {
    for (const [key, value] of Object.entries(shared))
      entries.push({
        key,
        value,
        variable: `broker_properties.${key}`,
        at: sourceOf('broker_properties'),
      });
  }
  const own = instance.origin.includes('broker_instances')
    ? instance.origin.replace(/^host \S+: /, '')
    : 'broker_instances';
  for (const [key, value] of Object.entries(instance.properties))
    entries.push({ key, value, variable: `${own}.properties.${key}`, at: instance.at });
  return entries;
}

/** A legacy key: reported, and with `translate` the current key to use instead (undefined: drop the entry). */
function translateLegacy(
  key: string,
  translate: boolean,
  say: (text: string) => string,
  result: LintResult,
): string | undefined {
  const current = LEGACY_BROKER_KEYS[key] ?? null;
  const use =
    current === null
      ? 'remove it: RocketMQ derives that path from storePathRootDir'
      : `use ${current}`;
  if (!translate || current === null) {
    (translate ? result.warnings : result.errors).push(
      say(
        `${key} is a legacy key that RocketMQ 5 silently ignores; ${use}${translate ? ' (dropped)' : ''}`,
      ),
    );
    return undefined;
  }
  result.warnings.push(
    say(`${key} is a legacy key that RocketMQ 5 silently ignores; translated to ${current}`),
  );
  return current;
}

/** A key set in properties that the broker role emits too: the later line wins, the role's variable says it better. */
function emittedTwice(e: LintEntry, key: string): string | undefined {
  if (
    !e.variable.includes('properties') ||
    !(key in BROKER_KEY_VARS || (DERIVED_BROKER_KEYS as readonly string[]).includes(key))
  )
    return undefined;
  const instead =
    BROKER_KEY_VARS[key]?.variable ??
    'the instance fields (listen_port, ha_listen_port, store_path_root_dir, broker_role)';
  return `${key} is emitted by the broker role too and this later line wins; prefer ${instead}`;
}

/**
 * Lints one instance's entries against the known keys; `translate` turns legacy keys into current ones with a warning.
 * @example lintInstance(entries, known, false, 'host mq1 broker-a-0').errors // => ['host mq1 broker-a-0: broker_properties.mapedFileSizeCommitLog …']
 */
export function lintInstance(
  entries: LintEntry[],
  known: ReadonlySet<string>,
  translate: boolean,
  who: string,
): LintResult {
  const result: LintResult = { errors: [], warnings: [], translated: new Map() };
  for (const e of entries) {
    const say = (text: string): string => `${who}: ${e.variable}${e.at}: ${text}`;
    let key = e.key;
    if (key in LEGACY_BROKER_KEYS) {
      const current = translateLegacy(key, translate, say, result);
      if (current === undefined) continue;
      key = current;
    } else if (!known.has(key)) {
      const near = suggest(key, known);
      result.errors.push(
        say(
          `unknown broker key ${key}, which RocketMQ would silently ignore${near ? `; did you mean ${near}?` : '; check the spelling against `mqbroker -p`'}`,
        ),
      );
      continue;
    }
    const twice = emittedTwice(e, key);
    if (twice) result.warnings.push(say(twice));
    const problem = valueProblem(key, e.value);
    if (problem) result.errors.push(say(`${key}: ${problem}`));
    else result.translated.set(key, String(e.value));
  }
  return result;
}
