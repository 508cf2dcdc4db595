// The --json report: every task result, warnings, the recap and the exit code, written atomically for cron and monitoring.
import { renameSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { basename, dirname, join } from 'node:path';
import type { Change, HostCounts, RunEvent, TaskStatus } from './types.ts';

/** One task or handler result as it appears in the report. */
export interface JsonTaskResult {
  host: string;
  phase: string;
  task: string;
  handler: boolean;
  status: TaskStatus;
  changes: Change[];
  message: string;
}

export interface JsonReport {
  playbook: string;
  check: boolean;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  results: JsonTaskResult[];
  unreachable: Array<{ host: string; message: string }>;
  warnings: string[];
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

/**
 * Starts collecting a JSON report from run events (already redacted by the run).
 * @example const json = jsonCollector('site.yaml'); const summary = await run(options, json.sink);
 */
export function jsonCollector(playbook: string, now: () => Date = () => new Date()): JsonCollector {
  const report: JsonReport = {
    playbook, check: false, startedAt: now().toISOString(), finishedAt: '', exitCode: 0,
    results: [], unreachable: [], warnings: [], recap: {},
  };
  const sink = (event: RunEvent): void => {
    if (event.kind === 'start') report.check = event.check;
    if (event.kind === 'warning') report.warnings.push(event.message);
    if (event.kind === 'unreachable') report.unreachable.push({ host: event.host, message: event.message });
    if (event.kind === 'abort') report.aborted = event.message;
    if (event.kind === 'recap') report.recap = event.counts;
    if (event.kind === 'task' || event.kind === 'handler') {
      const changes = event.kind === 'task' ? event.changes : [];
      report.results.push({ host: event.host, phase: event.phase, task: event.task, handler: event.kind === 'handler', status: event.status, changes, message: event.message ?? '' });
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
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(temp, file);
}
