// Corrective vs intended changes (as Puppet tells them apart): digests of each task's declared args, kept between runs.
import { Buffer } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { PlannedPhase } from '../plan/planner.ts';
import { writeFileAtomic } from '../shared/atomic-write.ts';
import { entryOf } from '../shared/entry.ts';

/** Why a task changed a host: `corrective` = the host drifted from an unchanged declaration; `intended` = the declaration changed. */
export type ChangeCause = 'corrective' | 'intended';

/** host → task key → sha256 of the task's rendered arguments. */
export type DeclaredState = Record<string, Record<string, string>>;

/** File name inside the inventory's state folder. */
export const DECLARED_FILE = 'declared.json';

/**
 * The key of a task on a host: its phase and its label (the label names the loop item, if any).
 * @example taskKey('brokers', 'broker.properties') // => 'brokers / broker.properties'
 */
export const taskKey = (phase: string, label: string): string => `${phase} / ${label}`;

/** JSON with object keys sorted, so equal arguments always give the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Digests of every planned (not skipped) task and handler item per host; tasks sharing a key are digested together
 * (their texts joined by newlines). Each text goes into its hash as soon as it is made, never kept: at 200 hosts the
 * texts of every task made 15 MB that lived until the end of the loop, long enough for V8 to move them to the old
 * generation, where they waited for a full collection.
 * @example declaredState(planned.phases)['broker-a']['brokers / broker.properties'] // => 'sha256 hex'
 */
export function declaredState(phases: PlannedPhase[]): DeclaredState {
  const hashes: Record<string, Record<string, Hash>> = {};
  for (const phase of phases) {
    for (const plan of phase.plans.values()) {
      const host = entryOf(hashes, plan.host, () => ({}));
      for (const task of [...plan.tasks, ...plan.handlers.flatMap((h) => h.tasks)]) {
        if (task.skipReason !== undefined) continue;
        const key = taskKey(phase.spec.name, task.label);
        const seen = host[key];
        if (seen !== undefined) seen.update('\n');
        const hash = seen ?? entryOf(host, key, () => createHash('sha256'));
        hash.update(`${task.module.name}:${stableJson(task.args)}`);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(hashes).map(([host, keys]) => [
      host,
      Object.fromEntries(Object.entries(keys).map(([key, hash]) => [key, hash.digest('hex')])),
    ]),
  );
}

/**
 * Classifies a change: corrective when the task's declared digest equals the one of the last successful run.
 * @example causeOf(previous, current, 'broker-a', 'brokers / broker.properties') // => 'corrective'
 */
export function causeOf(
  previous: DeclaredState,
  current: DeclaredState,
  host: string,
  key: string,
): ChangeCause {
  const before = previous[host]?.[key];
  return before !== undefined && before === current[host]?.[key] ? 'corrective' : 'intended';
}

/**
 * Reads the declared state of the last successful run; a missing or unreadable file means "nothing known" (all intended).
 * @example loadDeclared('inventory/prod/.rocketmq-deploy/declared.json')
 */
export function loadDeclared(file: string): DeclaredState {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { hosts?: DeclaredState };
    return parsed.hosts && typeof parsed.hosts === 'object' ? parsed.hosts : {};
  } catch {
    return {};
  }
}

/**
 * Merges this run's digests over the previous ones (hosts and tasks outside --limit/--tags keep theirs) and writes atomically.
 * Call only after a run that applied changes without failures.
 */
export function saveDeclared(
  file: string,
  previous: DeclaredState,
  current: DeclaredState,
  now: Date = new Date(),
): void {
  const merged: DeclaredState = { ...previous };
  for (const [host, keys] of Object.entries(current))
    merged[host] = { ...(previous[host] ?? {}), ...keys };
  writeFileAtomic(
    file,
    `${JSON.stringify({ savedAt: now.toISOString(), hosts: merged }, null, 2)}\n`,
  );
}
