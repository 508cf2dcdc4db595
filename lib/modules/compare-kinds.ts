// How copy/template report differing content (`compare:`): `text` is built in; plugins register others at start-up.
import type { Change } from '../shared/types.ts';

/** Describes what differs between a file's current and declared text, as Change items. */
export type CompareKind = (foundText: string, declaredText: string) => Change[];

const kinds = new Map<string, CompareKind>();

/**
 * Adds a compare kind (the RocketMQ plugin adds `rocketmq_broker`; lib/modules/index.ts installs it).
 * @throws Error when the name is `text` or taken by another kind
 */
export function registerCompareKind(name: string, kind: CompareKind): void {
  if (name === 'text' || (kinds.has(name) && kinds.get(name) !== kind))
    throw new Error(`compare kind "${name}" is registered twice`);
  kinds.set(name, kind);
}

/** Every name `compare:` accepts, `text` first. */
export const compareKindNames = (): string[] => ['text', ...kinds.keys()];

/** The registered kind of that name; undefined for `text` (the built-in per-key/per-line report). */
export const compareKind = (name: string | undefined): CompareKind | undefined =>
  name === undefined ? undefined : kinds.get(name);
