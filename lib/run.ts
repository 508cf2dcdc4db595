// Public API: load → preflight → plan → prepare → execute → recap; returns a RunSummary and never prints.
import { execute } from './execute/executor.ts';
import { exitCodeOf } from './cli/exit-codes.ts';
import { intentTracker, type IntentTracker } from './cron/intent-tracker.ts';
import { loadRun } from './load/load-run.ts';
import { modules as registry } from './modules/index.ts';
import { prepareModules } from './modules/prepare.ts';
import { planPhases, type PlannedPhase } from './plan/planner.ts';
import { selectionSkips } from './plan/skip-selection.ts';
import { runPreflight } from './check/preflight.ts';
import { countEvents } from './report/counts.ts';
import {
  makeRedactor,
  redactError,
  type Redactor,
  type SecretMemo,
  secretValues,
} from './report/redact.ts';
import { makeTransport } from './execute/transports/connect.ts';
import { varScope, type VarScope } from './load/vars.ts';
import { type HeapControls, phasePacer } from './shared/heap-pacing.ts';
import { nearMissWarnings, playbookVariables } from './check/var-typos.ts';
import type { Host, Inventory, Module, Playbook, Transport, Vars } from './shared/types.ts';
import type { HostCounts, RunEvent } from './shared/events.ts';

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
  /** @default Node's own (none on Deno) */
  heap?: HeapControls;
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
  /** The run's variables (inventory, -e, magic variables), shared by preflight, planning and the connections. */
  vars: VarScope;
}

/** Secrets of every planned host and of -e, masked in every event. */
function redactorOf(phases: PlannedPhase[], extraVars: Vars): Redactor {
  // Every host's vars hold the same hostvars and groups mappings: the memo walks them once, not once per host.
  const memo: SecretMemo = new WeakMap();
  const secrets = phases.flatMap((p) =>
    [...p.plans.values()].flatMap((plan) => secretValues(plan.vars, memo)),
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
  const vars = varScope(inventory, options.extraVars);
  const preflight = runPreflight(vars, playbook);
  const input = {
    inventory,
    playbook,
    modules,
    roles,
    files,
    tags: options.tags,
    skipTags: options.skipTags,
    vars,
  };
  const phases = planPhases(
    options.limit === undefined ? input : { ...input, limit: options.limit },
  );
  const typos = nearMissWarnings(inventory, playbookVariables(playbook, roles));
  const warnings = [...typos, ...preflight];
  const redact = redactorOf(phases, options.extraVars);
  return { inventory, playbook, phases, warnings, redact, vars };
}

/** Connection vars as the tasks see them: -e applied and `{{ }}` resolved (`ansible_host: "{{lab_prefix}}.11"`). */
function withResolvedVars(
  vars: VarScope,
  make: (host: Host) => Transport,
): (host: Host) => Transport {
  return (host) => make({ ...host, vars: vars.hostvars[host.name] ?? host.vars });
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

/** The sink a run emits through: module and cause added, selection skips marked, secrets masked, events kept. */
function runEmitter(
  planned: PlannedRun,
  intent: IntentTracker,
  sink: (event: RunEvent) => void,
  events: RunEvent[],
  heap: HeapControls | undefined,
): (event: RunEvent) => void {
  const isSelection = selectionSkips(planned.phases);
  const pace = phasePacer(new Set(planned.phases.flatMap((p) => p.hosts)).size, heap);
  return (event) => {
    pace(event);
    const annotated = intent.annotate(event);
    const masked = planned.redact(
      isSelection(annotated) ? { ...annotated, selection: true } : annotated,
    );
    events.push(masked);
    sink(masked);
  };
}

/** The run's summary from its events and the executor's result, with the OR-ed exit code. */
function summarize(
  events: RunEvent[],
  counts: Record<string, HostCounts>,
  result: { failed: Iterable<string>; unreachable: Iterable<string>; aborted?: string },
  check: boolean,
): RunSummary {
  const drift = check && events.some((e) => e.kind === 'task' && e.status === 'changed');
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
  return summary;
}

async function executePlanned(
  planned: PlannedRun,
  options: RunOptions,
  sink: (event: RunEvent) => void,
  deps: RunDeps,
): Promise<RunSummary> {
  const events: RunEvent[] = [];
  const intent = intentTracker(planned.phases, options.stateDir);
  const emit = runEmitter(planned, intent, sink, events, deps.heap);
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
    makeTransport: withResolvedVars(planned.vars, deps.makeTransport ?? makeTransport),
    forks: options.forks,
    check: options.check,
    diff: options.diff,
    emit,
  });
  const counts = countEvents(events, hosts);
  emit({ kind: 'recap', counts });
  const summary = summarize(events, counts, result, options.check);
  if (!options.check && summary.exitCode === 0 && result.aborted === undefined) intent.save();
  return summary;
}
