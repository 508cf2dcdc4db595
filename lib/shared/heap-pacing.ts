// Holds the controller's peak memory down under Node: a young generation that stays small, full GCs between phases.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { RunEvent } from './events.ts';

/** The two V8 controls a run uses; tests pass their own. */
export interface HeapControls {
  /** v8.setFlagsFromString */
  setFlags(flags: string): void;
  /** One full garbage collection, synchronous. */
  collect(): void;
}

/**
 * From this many hosts, a run collects garbage at each phase boundary. A full collection of this controller's heap
 * takes a few tens of ms; smaller runs do not pay it (their peak is Node's own size).
 */
export const COLLECT_FROM_HOSTS = 50;

/** V8's `gc` function without the --expose-gc command-line flag, which `npx zx run.mjs` cannot pass. */
function exposedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  // The flag applies to contexts made after it is set: a new context gets `gc` (Node's v8.setFlagsFromString docs).
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * Node's controls; undefined on Deno, whose V8 is set up by Deno itself and where the same sources run unchanged.
 * @example nodeHeapControls()?.collect()
 */
export function nodeHeapControls(): HeapControls | undefined {
  if ('Deno' in globalThis) return undefined;
  let gc: (() => void) | undefined;
  return {
    setFlags: (flags) => v8.setFlagsFromString(flags),
    collect: () => {
      gc ??= exposedGc();
      gc();
    },
  };
}

/**
 * Keeps V8's young generation at the size it has when called (two 1 MB semi-spaces in a fresh `node`, 4 MB under
 * `npx zx`) instead of letting it grow to 2 × 16 MB, which a large run otherwise reaches and keeps: up to 30 MB of the
 * largest process at 200 hosts. V8 reads
 * --max-semi-space-size only when the heap is set up (setting it later changed nothing, measured), but it reads the
 * growth factor at every growth, so this works from inside a running process. Call it before the run allocates.
 * @example holdYoungGeneration() // first thing in main()
 */
export function holdYoungGeneration(controls = nodeHeapControls()): void {
  controls?.setFlags('--semi-space-growth-factor=1');
}

/**
 * What a run calls with each of its events: for a run of COLLECT_FROM_HOSTS hosts or more, a full collection when a
 * phase starts and at the recap, where the previous step's garbage (scripts sent, answers parsed, plans) is all
 * dead; V8 would otherwise let it pile up in the old generation until its own limit.
 * @example const pace = phasePacer(hosts.length); emit = (e) => { pace(e); … }
 */
export function phasePacer(
  hostCount: number,
  controls = nodeHeapControls(),
): (event: RunEvent) => void {
  if (controls === undefined || hostCount < COLLECT_FROM_HOSTS) return () => {};
  return (event) => {
    if (event.kind === 'phase' || event.kind === 'recap') controls.collect();
  };
}
