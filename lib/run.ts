// Public API: load → preflight → plan → prepare → execute → recap; returns a RunSummary and never prints.
import { join } from 'node:path';
import { ValidationError } from './shared/errors.ts';
import { execute } from './execute/executor.ts';
import { exitCodeOf } from './cli/exit-codes.ts';
import {
  causeOf,
  declaredState,
  DECLARED_FILE,
  loadDeclared,
  saveDeclared,
  taskKey,
  type DeclaredState,
} from './cron/intent.ts';
import { loadRun } from './load/load-run.ts';
import { modules as registry } from './modules/index.ts';
import {
  planPhases,
  type HostPlan,
  type PlannedHandler,
  type PlannedPhase,
  type PlannedTask,
} from './plan/planner.ts';
import { selectionSkips } from './plan/skip-selection.ts';
import { preflightChecks } from './check/preflight.ts';
import { makeRedactor, redactError, secretValues, type Redactor } from './report/redact.ts';
import { makeTransport } from './execute/transports/connect.ts';
import { hostVars, resolveVars } from './load/vars.ts';
import { nearMissWarnings, playbookVariables } from './check/var-typos.ts';
import { entryOf } from './shared/entry.ts';
import type {
  Host,
  HostCounts,
  Inventory,
  Module,
  Playbook,
  RunEvent,
  Transport,
  Vars,
} from './shared/types.ts';

/** Everything a run is told by its caller (the CLI builds this from argv). */
export interface RunOptions {
  playbook: string;
  /** Inventory folder of one environment. */
  inventory: string;
  check: boolean;
  diff: boolean;
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Vars;
  /** @default 10 */
  forks: number;
  /** @default roles/ beside the playbook, else ../roles */
  rolesDir?: string;
  /** The inventory's state folder: when set, changes are classified corrective/intended against its declared.json, which a clean non-check run updates. */
  stateDir?: string;
}

/** Replaceable parts, for tests: the module registry and how a host's transport is made. */
export interface RunDeps {
  modules?: ReadonlyMap<string, Module<unknown>>;
  makeTransport?: (host: Host) => Transport;
}

export interface RunSummary {
  counts: Record<string, HostCounts>;
  failedHosts: string[];
  unreachableHosts: string[];
  /** --check found at least one task that would change. */
  drift: boolean;
  aborted?: string;
  exitCode: number;
}

/** A run planned and validated, not yet executed. */
export interface PlannedRun {
  inventory: Inventory;
  playbook: Playbook;
  phases: PlannedPhase[];
  warnings: string[];
  redact: Redactor;
}

/** Runs every `preflight:` check of the playbook over the whole inventory; returns their warnings. */
function runPreflight(inventory: Inventory, playbook: Playbook, extraVars: Vars): string[] {
  if (playbook.preflight.length === 0) return [];
  const hosts = new Map(
    [...inventory.hosts.values()].map(
      (h) =>
        [
          h.name,
          resolveVars(hostVars(inventory, h.name, { extraVars }), undefined, h.sources),
        ] as const,
    ),
  );
  return playbook.preflight.flatMap((spec) => {
    const check = preflightChecks[spec.check];
    if (!check)
      throw new ValidationError(
        `unknown preflight check "${spec.check}" (known: ${Object.keys(preflightChecks).join(', ')})`,
        spec.where,
      );
    return check({ inventory, hosts, args: spec.args, where: spec.where });
  });
}

/** Secrets of every planned host and of -e, masked in every event. */
function redactorOf(phases: PlannedPhase[], extraVars: Vars): Redactor {
  const secrets = phases.flatMap((p) =>
    [...p.plans.values()].flatMap((plan) => secretValues(plan.vars)),
  );
  return makeRedactor([...secrets, ...secretValues(extraVars)]);
}

/**
 * Loads and validates everything and plans every phase; no host is contacted.
 * @throws ConfigError, ValidationError, TemplateError or UsageError (exit code 1) naming file:line:col
 * @example const planned = await planRun({ playbook: 'playbooks/site.yaml', inventory: 'inventory/dev', … })
 */
export async function planRun(options: RunOptions, deps: RunDeps = {}): Promise<PlannedRun> {
  const modules = deps.modules ?? registry;
  // Load: every file planning needs is read here, once; planning below works on this data alone.
  const { inventory, playbook, roles, files } = loadRun(options, modules);
  // Check: whole-inventory preflight before planning, so its errors name the inventory variable, not a role task.
  const preflight = runPreflight(inventory, playbook, options.extraVars);
  const input = {
    inventory,
    playbook,
    modules,
    roles,
    files,
    tags: options.tags,
    skipTags: options.skipTags,
    extraVars: options.extraVars,
  };
  const phases = planPhases(
    options.limit === undefined ? input : { ...input, limit: options.limit },
  );
  const typos = nearMissWarnings(inventory, playbookVariables(playbook, roles));
  const warnings = [...typos, ...preflight];
  return { inventory, playbook, phases, warnings, redact: redactorOf(phases, options.extraVars) };
}

/**
 * Runs module.prepare() once per distinct arguments (controller-side work such as fetching a distribution) and
 * returns the phases with the prepared arguments; the planned phases stay as planned (intent digests read those).
 */
async function prepareModules(phases: PlannedPhase[], check: boolean): Promise<PlannedPhase[]> {
  const prepared = new Map<string, Promise<unknown>>();
  const prepareTask = async (task: PlannedTask): Promise<PlannedTask> => {
    const prepare = task.module.prepare;
    if (!prepare || task.skipReason !== undefined) return task;
    const key = `${task.module.name}\0${JSON.stringify(task.args)}`;
    if (!prepared.has(key)) prepared.set(key, prepare.call(task.module, task.args, { check }));
    return { ...task, args: await prepared.get(key) };
  };
  const prepareAll = async (tasks: PlannedTask[]): Promise<PlannedTask[]> => {
    const out: PlannedTask[] = [];
    for (const task of tasks) out.push(await prepareTask(task));
    return out;
  };
  const out: PlannedPhase[] = [];
  for (const phase of phases) {
    const plans = new Map<string, HostPlan>();
    for (const [host, plan] of phase.plans) {
      const handlers: PlannedHandler[] = [];
      for (const h of plan.handlers) handlers.push({ ...h, tasks: await prepareAll(h.tasks) });
      plans.set(host, { ...plan, tasks: await prepareAll(plan.tasks), handlers });
    }
    out.push({ ...phase, plans });
  }
  return out;
}

/** Puts module and cause on task events; saves the declared digests after a clean run. */
function intentTracker(
  phases: PlannedPhase[],
  stateDir: string | undefined,
): { annotate(event: RunEvent): RunEvent; save(): void } {
  const current = declaredState(phases);
  const file = stateDir === undefined ? undefined : join(stateDir, DECLARED_FILE);
  const previous: DeclaredState = file === undefined ? {} : loadDeclared(file);
  const modules = new Map<string, string>();
  for (const phase of phases) {
    for (const plan of phase.plans.values())
      for (const t of plan.tasks)
        modules.set(`${plan.host}\0${taskKey(phase.spec.name, t.label)}`, t.module.name);
  }
  const annotate = (event: RunEvent): RunEvent => {
    if (event.kind !== 'task') return event;
    const key = taskKey(event.phase, event.task);
    const module = modules.get(`${event.host}\0${key}`);
    const withModule = module === undefined ? event : { ...event, module };
    return event.status === 'changed' && file !== undefined
      ? { ...withModule, cause: causeOf(previous, current, event.host, key) }
      : withModule;
  };
  return {
    annotate,
    save: () => {
      if (file !== undefined) saveDeclared(file, previous, current);
    },
  };
}

const zero = (): HostCounts => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 });

/** Per-host recap counters from the events of a run. */
export function countEvents(events: RunEvent[], hosts: string[]): Record<string, HostCounts> {
  const counts: Record<string, HostCounts> = Object.fromEntries(hosts.map((h) => [h, zero()]));
  for (const event of events) {
    if (event.kind === 'task' || event.kind === 'handler')
      entryOf(counts, event.host, zero)[event.status] += 1;
    if (event.kind === 'unreachable') entryOf(counts, event.host, zero).unreachable += 1;
  }
  return counts;
}

/** Connection vars as the tasks see them: -e applied and `{{ }}` resolved (`ansible_host: "{{lab_prefix}}.11"`). */
function withResolvedVars(
  inventory: Inventory,
  extraVars: Vars,
  make: (host: Host) => Transport,
): (host: Host) => Transport {
  return (host) => {
    const resolved = hostVars(inventory, host.name, { extraVars }).hostvars as Record<string, Vars>;
    return make({ ...host, vars: resolved[host.name] ?? host.vars });
  };
}

/**
 * Runs a playbook: plans (all errors before any connection), prepares, executes, and emits a recap.
 * @param sink receives every event, secrets already masked
 * @returns the recap, the failed and unreachable hosts and the OR-ed exit code
 * @param plan the result of planRun(options) when the caller validated first (the CLI does, before its lock)
 * @throws the planning errors of planRun (nothing was touched)
 * @example const summary = await run(options, humanReporter({ tty: true, diff: false, write }))
 */
export async function run(
  options: RunOptions,
  sink: (event: RunEvent) => void,
  deps: RunDeps = {},
  plan?: PlannedRun,
): Promise<RunSummary> {
  const planned = plan ?? (await planRun(options, deps));
  try {
    return await executePlanned(planned, options, sink, deps);
  } catch (error) {
    throw redactError(planned.redact, error);
  }
}

async function executePlanned(
  planned: PlannedRun,
  options: RunOptions,
  sink: (event: RunEvent) => void,
  deps: RunDeps,
): Promise<RunSummary> {
  const events: RunEvent[] = [];
  const intent = intentTracker(planned.phases, options.stateDir);
  const isSelection = selectionSkips(planned.phases);
  const emit = (event: RunEvent): void => {
    const annotated = intent.annotate(event);
    const masked = planned.redact(
      isSelection(annotated) ? { ...annotated, selection: true } : annotated,
    );
    events.push(masked);
    sink(masked);
  };
  const hosts = [...new Set(planned.phases.flatMap((p) => p.hosts))];
  emit({
    kind: 'start',
    playbook: options.playbook,
    check: options.check,
    diff: options.diff,
    hosts,
  });
  for (const message of planned.warnings) emit({ kind: 'warning', message });
  const phases = await prepareModules(planned.phases, options.check);
  const result = await execute({
    phases,
    inventory: planned.inventory,
    makeTransport: withResolvedVars(
      planned.inventory,
      options.extraVars,
      deps.makeTransport ?? makeTransport,
    ),
    forks: options.forks,
    check: options.check,
    diff: options.diff,
    emit,
  });
  const counts = countEvents(events, hosts);
  emit({ kind: 'recap', counts });
  const drift = options.check && events.some((e) => e.kind === 'task' && e.status === 'changed');
  const summary: RunSummary = {
    counts,
    failedHosts: [...result.failed],
    unreachableHosts: [...result.unreachable],
    drift,
    exitCode: 0,
  };
  if (result.aborted !== undefined) summary.aborted = result.aborted;
  const refused = events.some((e) => e.kind === 'task' && e.refused === true);
  summary.exitCode = exitCodeOf({
    failedHosts: summary.failedHosts,
    unreachableHosts: summary.unreachableHosts,
    drift,
    refused,
  });
  if (!options.check && summary.exitCode === 0 && result.aborted === undefined) intent.save();
  return summary;
}
