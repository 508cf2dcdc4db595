// The --json report: every task result, warnings, the recap and the exit code, written atomically for cron and monitoring.
import { writeFileAtomic } from '../shared/atomic-write.ts';
import type { Change, Proof } from '../shared/types.ts';
import type { HostCounts, RunEvent, TaskStatus } from '../shared/events.ts';

/** One task or handler result as it appears in the report. */
export interface JsonTaskResult {
  host: string;
  phase: string;
  task: string;
  handler: boolean;
  status: TaskStatus;
  changes: Change[];
  message: string;
  /** The task's module (kind of item). */
  module?: string;
  /** On changes: corrective (drift repaired or found) or intended (the declaration changed). */
  cause?: 'corrective' | 'intended';
  /** What the task proved (Verify: the brokers clusterList listed, the message round trip). */
  proof?: Proof;
  /** A skip of a task that runs for another instance, phase or host (hidden from the human output without -v). */
  selection?: boolean;
  /** A real run's drift left to a later task (reported as found items, like --check's). */
  pending?: Change[];
}

/** One drift found or one change applied (or failed), flattened for monitoring. */
export interface JsonItem {
  host: string;
  phase: string;
  task: string;
  module?: string;
  /** The item that differs (a properties key, a line, a file); the task name when the module names none. */
  item: string;
  before?: string;
  after?: string;
  /** found: --check saw the drift; applied: the run changed it; failed: the task failed (message says why). */
  result: 'found' | 'applied' | 'failed';
  cause?: 'corrective' | 'intended';
  message?: string;
}

export interface JsonReport {
  playbook: string;
  check: boolean;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  results: JsonTaskResult[];
  /** Every drift found and every action taken (or failed), one entry per item. */
  items: JsonItem[];
  unreachable: Array<{ host: string; message: string }>;
  warnings: string[];
  /** Every proof of the run (also in its task's result), e.g. Verify's clusterList and "1000/1000 messages". */
  proofs: Array<{ host: string; phase: string; task: string } & Proof>;
  aborted?: string;
  /** Set when the run stopped before touching any host (usage or configuration error). */
  error?: string;
  recap: Record<string, HostCounts>;
}

/** Collects events into a report; `finish` completes it with the exit code. */
export interface JsonCollector {
  sink: (event: RunEvent) => void;
  finish(exitCode: number, error?: string): JsonReport;
}

/** The flat items of one task result: one per change, one for a failure, none for ok/skipped. */
export function itemsOf(result: JsonTaskResult, check: boolean): JsonItem[] {
  const pending =
    result.status === 'ok' && result.pending !== undefined && result.pending.length > 0;
  if (result.status !== 'changed' && result.status !== 'failed' && !pending) return [];
  const base = { host: result.host, phase: result.phase, task: result.task };
  const extra = (item: JsonItem): JsonItem => {
    if (result.module !== undefined) item.module = result.module;
    if (result.cause !== undefined) item.cause = result.cause;
    return item;
  };
  if (result.status === 'failed')
    return [extra({ ...base, item: result.task, result: 'failed', message: result.message })];
  const outcome = check || pending ? 'found' : 'applied';
  const changes = pending
    ? (result.pending ?? [])
    : result.changes.length > 0
      ? result.changes
      : [{ item: result.task }];
  return changes.map((c) => {
    const item: JsonItem = { ...base, item: c.item, result: outcome, message: result.message };
    if (c.before !== undefined) item.before = c.before;
    if (c.after !== undefined) item.after = c.after;
    return extra(item);
  });
}

/** One task or handler event as a JSON result (module, cause, selection, pending and proof only when present). */
function taskResult(event: Extract<RunEvent, { kind: 'task' | 'handler' }>): JsonTaskResult {
  const result: JsonTaskResult = {
    host: event.host,
    phase: event.phase,
    task: event.task,
    handler: event.kind === 'handler',
    status: event.status,
    changes: event.kind === 'task' ? event.changes : [],
    message: event.message ?? '',
  };
  if (event.kind === 'handler') return result;
  if (event.module !== undefined) result.module = event.module;
  if (event.cause !== undefined) result.cause = event.cause;
  if (event.selection === true) result.selection = true;
  if (event.pending !== undefined) result.pending = event.pending;
  if (event.proof !== undefined) result.proof = event.proof;
  return result;
}

/**
 * Starts collecting a JSON report from run events (already redacted by the run).
 * @example const json = jsonCollector('site.yaml'); const summary = await run(options, json.sink);
 */
export function jsonCollector(playbook: string, now: () => Date = () => new Date()): JsonCollector {
  const report: JsonReport = {
    playbook,
    check: false,
    startedAt: now().toISOString(),
    finishedAt: '',
    exitCode: 0,
    results: [],
    items: [],
    unreachable: [],
    warnings: [],
    proofs: [],
    recap: {},
  };
  const sink = (event: RunEvent): void => {
    if (event.kind === 'start') report.check = event.check;
    if (event.kind === 'warning') report.warnings.push(event.message);
    if (event.kind === 'unreachable')
      report.unreachable.push({ host: event.host, message: event.message });
    if (event.kind === 'abort') report.aborted = event.message;
    if (event.kind === 'recap') report.recap = event.counts;
    if (event.kind === 'task' || event.kind === 'handler') {
      const result = taskResult(event);
      if (event.kind === 'task' && event.proof !== undefined) {
        const { host, phase, task, proof } = event;
        report.proofs.push({ host, phase, task, ...proof });
      }
      report.results.push(result);
      report.items.push(...itemsOf(result, report.check));
    }
  };
  const finish = (exitCode: number, error?: string): JsonReport => {
    const done: JsonReport = { ...report, finishedAt: now().toISOString(), exitCode };
    if (error !== undefined) done.error = error;
    return done;
  };
  return { sink, finish };
}

/**
 * Writes the report atomically: a temporary file in the same folder, then a rename, so readers never see half a file.
 * @throws the file system error when the folder is not writable
 * @example writeJsonReport('/var/lib/rmq/last-run.json', json.finish(summary.exitCode))
 */
export function writeJsonReport(file: string, report: JsonReport): void {
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}
