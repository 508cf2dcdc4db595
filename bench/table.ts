// Bench results → one Markdown table (tool, hosts, first/no-change/check seconds as ratios to the floor and Ansible, memory, SSH sessions).
import type { Tool, ToolRun } from './tools.ts';

/** All measured runs of one tool at one host count. */
export interface BenchRow {
  tool: Tool;
  hosts: number;
  first: ToolRun;
  noChange: ToolRun[];
  check?: ToolRun;
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const secs = (value: number | undefined): string => (value === undefined ? '–' : value.toFixed(2));
const mb = (value: number | undefined): string => (value === undefined ? '?' : value.toFixed(0));

/** Peak memory over every run of the row: largest single process and summed process tree. */
function peakMemory(row: BenchRow): string {
  const runs = [row.first, ...row.noChange, ...(row.check ? [row.check] : [])];
  const largest = Math.max(...runs.map((r) => r.maxProcessRssMb ?? 0));
  const tree = Math.max(...runs.map((r) => r.treePeakRssMb));
  return `${mb(largest || undefined)} / ${mb(tree)}`;
}

/** True when any run exited with anything but 0 (an error makes every figure of the row meaningless). */
const badExit = (row: BenchRow): boolean =>
  [row.first, ...row.noChange, ...(row.check ? [row.check] : [])].some((r) => r.code !== 0);

/**
 * A ratio in words: `2.10× floor` when larger, `1/12.4 Ansible` when smaller.
 * @example ratio(0.5, 6, 'Ansible') // => '1/12.0 Ansible'
 */
export function ratio(
  value: number,
  reference: number | undefined,
  name: string,
): string | undefined {
  if (reference === undefined || !(reference > 0)) return undefined;
  const r = value / reference;
  return r >= 1 ? `${r.toFixed(2)}× ${name}` : `1/${(1 / r).toFixed(1)} ${name}`;
}

/** What a row's figures are compared with: the floor's median and Ansible's first and no-change figures, same hosts. */
interface References {
  floor?: number;
  ansibleFirst?: number;
  ansibleQuiet?: number;
  /** CPU seconds (user + sys) of the floor's and Ansible's no-change runs, medians. */
  floorCpu?: number;
  ansibleCpu?: number;
}

/** Median CPU seconds of a row's no-change runs, undefined when none was measured. */
function medianCpu(row: BenchRow | undefined): number | undefined {
  const cpu = (row?.noChange ?? []).map((r) => r.cpuSeconds).filter((s) => s !== undefined);
  return cpu.length > 0 ? median(cpu) : undefined;
}

function referencesFor(rows: readonly BenchRow[], hosts: number): References {
  const floor = rows.find((r) => r.tool === 'floor' && r.hosts === hosts);
  const ansible = rows.find((r) => r.tool === 'ansible' && r.hosts === hosts);
  const refs: References = {};
  const floorCpu = medianCpu(floor);
  const ansibleCpu = medianCpu(ansible);
  if (floorCpu !== undefined) refs.floorCpu = floorCpu;
  if (ansibleCpu !== undefined) refs.ansibleCpu = ansibleCpu;
  if (floor) refs.floor = median(floor.noChange.map((r) => r.seconds));
  if (ansible) {
    refs.ansibleFirst = ansible.first.seconds;
    refs.ansibleQuiet = median(ansible.noChange.map((r) => r.seconds));
  }
  return refs;
}

/** Seconds with their ratios, e.g. `1.20 (2.40× floor, 1/8.0 Ansible)`; the floor row and Ansible get no self-ratio. */
function timed(
  value: number | undefined,
  row: BenchRow,
  refs: References,
  ansibleRef: number | undefined,
): string {
  if (value === undefined) return '–';
  const parts =
    row.tool === 'floor'
      ? []
      : [
          ratio(value, refs.floor, 'floor'),
          row.tool === 'ansible' ? undefined : ratio(value, ansibleRef, 'Ansible'),
        ];
  const shown = parts.filter((p): p is string => p !== undefined);
  return shown.length > 0 ? `${secs(value)} (${shown.join(', ')})` : secs(value);
}

/**
 * The whole machine's busy CPU during a run and, in brackets, the part outside the measured process tree: on the lab
 * that is the hosts' sshd and scripts, our daemonized ControlMasters and anything else running.
 * @example machineCpu(run) // => '30.06 (hosts 14.85)'
 */
export function machineCpu(run: ToolRun): string {
  const machine = run.machineCpuSeconds;
  if (machine === undefined) return '–';
  const tree = run.cpuSeconds;
  return tree === undefined ? secs(machine) : `${secs(machine)} (hosts ${secs(machine - tree)})`;
}

function cells(row: BenchRow, refs: References): string[] {
  const quiet = row.noChange.map((r) => r.seconds);
  const inner = row.noChange.map((r) => r.innerSeconds).filter((s): s is number => s !== undefined);
  const second = row.noChange[0]!;
  const sessions = second.sshSessions / row.hosts;
  // CPU compares with the floor's and Ansible's CPU, as times compare with their times.
  const cpuRefs: References = refs.floorCpu === undefined ? {} : { floor: refs.floorCpu };
  const cpuCell = timed(medianCpu(row), row, cpuRefs, refs.ansibleCpu);
  if (row.tool === 'floor') {
    return [
      row.tool,
      String(row.hosts),
      '–',
      timed(median(quiet), row, refs, undefined),
      '–',
      '–',
      second.failed > 0 ? `(${second.failed} ssh failed)` : '–',
      '–',
      sessions.toFixed(1),
      cpuCell,
      // The floor has no first run: its middle round stands in (an `ssh host true` per host).
      machineCpu(row.noChange[Math.floor(row.noChange.length / 2)]!),
    ];
  }
  return [
    row.tool,
    String(row.hosts),
    timed(row.first.seconds, row, refs, refs.ansibleFirst),
    timed(median(quiet), row, refs, refs.ansibleQuiet),
    inner.length > 0 ? timed(median(inner), row, refs, refs.ansibleQuiet) : '–',
    timed(row.check?.seconds, row, refs, refs.ansibleQuiet),
    `${second.changed}${second.failed > 0 ? ` (${second.failed} failed)` : ''}${badExit(row) ? ' (a run exited non-zero)' : ''}`,
    peakMemory(row),
    sessions.toFixed(1),
    cpuCell,
    machineCpu(row.first),
  ];
}

const HEADER = [
  'tool',
  'hosts',
  'first run s',
  'no-change s (median)',
  'no-change in-run s',
  'check s',
  'changed (2nd run)',
  'peak RSS MB (largest process / tree)',
  'ssh sessions per host (no-change)',
  'no-change CPU s (user+sys)',
  "first run CPU s, whole machine (hosts' side)",
];

/** The results as a Markdown table, one line per tool and host count; times carry ratios to the floor and Ansible. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = [
    HEADER,
    HEADER.map(() => '---'),
    ...rows.map((row) => cells(row, referencesFor(rows, row.hosts))),
  ];
  return lines.map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}
