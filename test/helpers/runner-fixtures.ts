// Test doubles for runner tests: tiny file-backed modules, hand-built plans and a fake inventory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACT_SCRIPT_MARKER } from '../../lib/execute/fact-script.ts';
import { cmd, quote } from '../../lib/shared/shell.ts';
import type { PlannedPhase, PlannedTask } from '../../lib/plan/planner.ts';
import type {
  Host,
  Inventory,
  Module,
  PhaseSpec,
  TaskSpec,
  Vars,
  Where,
} from '../../lib/shared/types.ts';

/** True for a fact-gathering script (it starts with the marker line); anything else is an action. */
export const isFactScript = (script: string): boolean =>
  script.startsWith(`${FACT_SCRIPT_MARKER}\n`);

export const where: Where = { file: 'test.yaml', line: 1, col: 1 };

type FlagArgs = { path: string; content: string };

/** Declares a file's whole content; probes with cat, writes with printf. */
export const flagModule: Module<FlagArgs> = {
  name: 'flag',
  validate: (raw) => ({ path: String(raw.path), content: String(raw.content) }),
  probes: (args) => [{ id: 'current', script: `${cmd('cat', args.path)} 2>/dev/null` }],
  plan(args, facts) {
    const before = facts.get('current')?.stdout ?? '';
    if (before === args.content) return { actions: [], changes: [], reason: 'content as declared' };
    return {
      actions: [
        {
          describe: `write ${args.path}`,
          script: `printf %s ${quote(args.content)} > ${quote(args.path)}`,
        },
      ],
      changes: [{ item: args.path, before, after: args.content }],
      diff: { path: args.path, before, after: args.content },
    };
  },
};

/** Always runs an action that exits 3. */
export const boomModule: Module<Vars> = {
  name: 'boom',
  validate: (raw) => raw,
  probes: () => [],
  plan: () => ({
    actions: [{ describe: 'explode', script: 'echo kaboom >&2; exit 3' }],
    changes: [],
  }),
};

/** Always has one wait action that never counts as a change. */
export const waitModule: Module<Vars> = {
  name: 'wait',
  validate: (raw) => raw,
  probes: () => [],
  plan: () => ({
    actions: [{ describe: 'wait a moment', script: 'true', changes: false }],
    changes: [],
  }),
};

export const testModules: ReadonlyMap<string, Module<unknown>> = new Map<string, Module<unknown>>([
  ['flag', flagModule as Module<unknown>],
  ['boom', boomModule as Module<unknown>],
  ['wait', waitModule as Module<unknown>],
]);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rmqd-runner-'));
}

export function taskSpec(name: string, module: string, extra: Partial<TaskSpec> = {}): TaskSpec {
  return { name, module, args: {}, where, notify: [], tags: [], ...extra };
}

/** A planned task for a hand-built plan. */
export function task(
  name: string,
  module: string,
  args: unknown,
  extra: Partial<TaskSpec> = {},
): PlannedTask {
  const spec = taskSpec(name, module, extra);
  return {
    spec,
    label: name,
    module: testModules.get(module) as Module<unknown>,
    args,
    countsAsChange: spec.changedWhen !== 'false',
  };
}

export function phaseSpec(name: string, extra: Partial<PhaseSpec> = {}): PhaseSpec {
  return {
    name,
    hosts: 'all',
    roles: [],
    tasks: [],
    handlers: [],
    vars: {},
    tags: [],
    where,
    ...extra,
  };
}

/** A phase whose hosts each get the tasks (and handlers) built for them. */
export function phase(
  name: string,
  hosts: string[],
  tasksFor: (host: string) => PlannedTask[],
  options: {
    spec?: Partial<PhaseSpec>;
    handlers?: (host: string) => Array<{ name: string; tasks: PlannedTask[] }>;
  } = {},
): PlannedPhase {
  const plans = new Map(
    hosts.map(
      (host) =>
        [
          host,
          { host, vars: {}, tasks: tasksFor(host), handlers: options.handlers?.(host) ?? [] },
        ] as const,
    ),
  );
  return { spec: phaseSpec(name, options.spec), hosts, plans };
}

/** An inventory holding just these host names. */
export function inventoryOf(hosts: string[]): Inventory {
  const entries = hosts.map((name): [string, Host] => [
    name,
    { name, groups: ['all'], vars: {}, sources: {} },
  ]);
  return { dir: 'test-inventory', env: 'test', groups: new Map(), hosts: new Map(entries) };
}
