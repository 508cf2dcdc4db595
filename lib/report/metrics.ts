// --metrics: a run's outcome in Prometheus text exposition format, for node_exporter's textfile collector.
import type { JsonReport } from './json.ts';

/** What the metrics need besides the report. */
export interface MetricsInput {
  env: string;
  report: JsonReport;
  /** When the run ended, seconds since the epoch. */
  finishedAt: number;
  durationSeconds: number;
}

type Labels = Record<string, string>;
type Sample = { labels: Labels; value: number };

/**
 * Escapes a label value per the exposition format: backslash, double quote and newline.
 * @example escapeLabel('a"b') // => 'a\\"b'
 */
export const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function sampleLine(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return `${name}${labels === '' ? '' : `{${labels}}`} ${Number.isFinite(sample.value) ? String(sample.value) : 'NaN'}`;
}

function family(name: string, help: string, samples: Sample[]): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map((s) => sampleLine(name, s)),
  ];
}

/** Counts per label combination; `key` returns undefined to skip a result. */
function tally(
  report: JsonReport,
  key: (r: JsonReport['results'][number]) => Labels | undefined,
  weight: (r: JsonReport['results'][number]) => number,
): Map<string, Sample> {
  const out = new Map<string, Sample>();
  for (const result of report.results) {
    const labels = key(result);
    if (!labels) continue;
    const id = JSON.stringify(labels);
    const sample = out.get(id) ?? { labels, value: 0 };
    sample.value += weight(result);
    out.set(id, sample);
  }
  return out;
}

/** Every host of the run (recap and unreachable), so a host with nothing to report shows 0 rather than vanishing. */
const hostsOf = (report: JsonReport): string[] =>
  [...new Set([...Object.keys(report.recap), ...report.unreachable.map((u) => u.host)])].sort();

/** Per-host samples of the host families, zero-filled. */
function perHost(input: MetricsInput, count: (host: string) => number): Sample[] {
  return hostsOf(input.report).map((host) => ({
    labels: { env: input.env, host },
    value: count(host),
  }));
}

/** A result that changed the host (or would, with --check); handlers are counted with their notifying task. */
const changed = (r: JsonReport['results'][number]): boolean => r.status === 'changed' && !r.handler;

/** The families of what changed: drift items by host and kind, changed tasks by host and cause. */
function changeFamilies(input: MetricsInput): string[] {
  const { env, report } = input;
  const drift = tally(
    report,
    (r) => (changed(r) ? { env, host: r.host, kind: r.module ?? 'task' } : undefined),
    (r) => Math.max(1, r.changes.length),
  );
  const causes = tally(
    report,
    (r) => (changed(r) ? { env, host: r.host, cause: r.cause ?? 'unknown' } : undefined),
    () => 1,
  );
  return [
    ...family(
      'rocketmq_deploy_drift_items',
      'Items that differed from the declared state in the last run, by host and kind (module).',
      [...drift.values()],
    ),
    ...family(
      'rocketmq_deploy_changes',
      'Tasks changed (or found to need a change with --check) in the last run, by cause: corrective (drift) or intended (declaration changed).',
      [...causes.values()],
    ),
  ];
}

/** The per-host counts: repairs applied, failed tasks, unreachable. */
function hostFamilies(input: MetricsInput): string[] {
  const { report } = input;
  const repairs = (host: string): number =>
    report.check ? 0 : report.results.filter((r) => r.host === host && changed(r)).length;
  const failures = (host: string): number =>
    report.results.filter((r) => r.host === host && r.status === 'failed').length;
  const unreachable = (host: string): number =>
    report.unreachable.some((u) => u.host === host) ? 1 : 0;
  return [
    ...family(
      'rocketmq_deploy_repairs_total',
      'Tasks whose changes were applied in the last run (0 for --check runs).',
      perHost(input, repairs),
    ),
    ...family(
      'rocketmq_deploy_failures',
      'Failed tasks in the last run.',
      perHost(input, failures),
    ),
    ...family(
      'rocketmq_deploy_unreachable',
      '1 when the host could not be reached in the last run.',
      perHost(input, unreachable),
    ),
  ];
}

/** The families about the run as a whole: when it ended, how long it took, its exit code, whether --check. */
function runFamilies(input: MetricsInput): string[] {
  const { env, report } = input;
  const run = (value: number): Sample[] => [{ labels: { env }, value }];
  return [
    ...family(
      'rocketmq_deploy_last_run_timestamp_seconds',
      'When the last run ended, seconds since the epoch.',
      run(Math.round(input.finishedAt)),
    ),
    ...family(
      'rocketmq_deploy_last_run_duration_seconds',
      'How long the last run took.',
      run(Math.round(input.durationSeconds * 1000) / 1000),
    ),
    ...family(
      'rocketmq_deploy_last_run_exit_code',
      'Exit code of the last run (flags: 1 config, 2 failed, 4 unreachable, 8 drift, 16 locked).',
      run(report.exitCode),
    ),
    ...family(
      'rocketmq_deploy_last_run_check',
      '1 when the last run was --check (nothing changed), 0 for a repair.',
      run(report.check ? 1 : 0),
    ),
  ];
}

/**
 * Formats the metrics text (ends with a newline), every family with HELP and TYPE lines.
 * @example writeFileAtomic(path, formatMetrics({ env: 'prod', report, finishedAt: Date.now() / 1000, durationSeconds: 3.2 }))
 */
export function formatMetrics(input: MetricsInput): string {
  return [...changeFamilies(input), ...hostFamilies(input), ...runFamilies(input), ''].join('\n');
}
