// Key-by-key drift of a RocketMQ broker config file, telling hand edits apart from runtime changes the broker wrote itself.
//
// Why: `mqadmin updateBrokerConfig` makes the broker rewrite its `-c` file with every key it knows (487 in
// 5.5.0, sorted). A plain comparison would report ~460 "removed" keys; what the operator needs is the few
// keys whose value differs from the declared one or, for undeclared keys, from RocketMQ's default.
import { knownBrokerKeys, LEGACY_BROKER_KEYS } from './broker-keys.ts';
import { parseProperties, propertiesToMap } from '../shared/java-properties.ts';
import type { Change } from '../shared/types.ts';
import { change } from '../modules/content-changes.ts';

/** Share of the known keys a file must hold to count as written by the broker (hand-written files hold ~30). */
const BROKER_WRITTEN_SHARE = 0.9;

export const RUNTIME_NOTE = '(set at run time, e.g. mqadmin updateBrokerConfig)';

/**
 * Keys the controller owns in controller mode: it elects the master and assigns ids, and a broker that rewrites its
 * file writes today's role (SYNC_MASTER/0 or SLAVE/its id). Comparing them would "repair" a role RocketMQ chose.
 */
const CONTROLLER_OWNED = new Set(['brokerId', 'brokerRole']);

/**
 * True when the file holds (nearly) every key RocketMQ knows: the broker rewrote it after a runtime change.
 * @example isBrokerWritten(new Map([['a', '1']])) // => false
 */
export function isBrokerWritten(found: ReadonlyMap<string, string>): boolean {
  const known = knownBrokerKeys();
  let held = 0;
  for (const key of found.keys()) if (known.has(key)) held++;
  return held >= known.size * BROKER_WRITTEN_SHARE;
}

/** What an undeclared key found in the file means; undefined when it is harmless (at its default, or default unknown). */
function undeclaredChange(key: string, value: string, runtime: boolean): Change | undefined {
  const legacy = LEGACY_BROKER_KEYS[key];
  if (legacy)
    return change(
      `legacy key ${key}`,
      `${value} (ignored by RocketMQ 5: ${legacy.why})`,
      undefined,
    );
  const known = knownBrokerKeys().get(key);
  if (known === undefined) return change(`unknown key ${key}`, value, undefined);
  // An empty default depends on the machine (IPs, paths): the broker fills it in; nothing to compare with.
  if (known.default === '' || known.default === value) return undefined;
  const after = `${known.default} (RocketMQ default)`;
  return runtime
    ? change(`runtime change ${key}`, `${value} ${RUNTIME_NOTE}`, after)
    : change(key, value, after);
}

/**
 * The keys that differ between the broker config on the host and the declared one: declared keys whose value
 * differs or is missing, and undeclared keys away from RocketMQ's default (legacy and unknown keys always).
 * When the broker rewrote the file, differing keys are labelled `runtime change <key>` with their values.
 * @returns an empty list when the two files mean the same to the broker
 * @example brokerPropertyChanges('flushDiskType=SYNC_FLUSH\n', 'flushDiskType=ASYNC_FLUSH\n')
 *   // => [{ item: 'flushDiskType', before: 'SYNC_FLUSH', after: 'ASYNC_FLUSH' }]
 */
export function brokerPropertyChanges(foundText: string, declaredText: string): Change[] {
  const found = propertiesToMap(parseProperties(foundText));
  const declared = propertiesToMap(parseProperties(declaredText));
  const runtime = isBrokerWritten(found);
  const controllerMode = declared.get('enableControllerMode') === 'true';
  const changes: Change[] = [];
  for (const [key, value] of declared) {
    if (controllerMode && CONTROLLER_OWNED.has(key)) continue;
    const now = found.get(key);
    if (now === value) continue;
    if (now !== undefined && runtime)
      changes.push(change(`runtime change ${key}`, `${now} ${RUNTIME_NOTE}`, value));
    else changes.push(change(key, now, value));
  }
  for (const [key, value] of found) {
    if (declared.has(key) || (controllerMode && CONTROLLER_OWNED.has(key))) continue;
    const c = undeclaredChange(key, value, runtime);
    if (c) changes.push(c);
  }
  return changes;
}

/**
 * Changes for a broker config whose bytes differ: the key changes, or one `layout` item when only order,
 * comments or keys at their defaults differ (the file is still rewritten so its checksum is the declared one).
 */
export function brokerConfigChanges(foundText: string, declaredText: string): Change[] {
  const keys = brokerPropertyChanges(foundText, declaredText);
  if (keys.length > 0) return keys;
  const why = isBrokerWritten(propertiesToMap(parseProperties(foundText)))
    ? 'rewritten by the broker, same values'
    : 'same values, other order or comments';
  return [change('layout', why, 'declared text')];
}
