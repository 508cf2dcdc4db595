// Bench results → one Markdown table (tool, hosts, first/no-change/check seconds, changed count, memory, SSH sessions).
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
const badExit = (row: BenchRow): boolean => [row.first, ...row.noChange, ...(row.check ? [row.check] : [])].some((r) => r.code !== 0);

function cells(row: BenchRow): string[] {
  const quiet = row.noChange.map((r) => r.seconds);
  const inner = row.noChange.map((r) => r.innerSeconds).filter((s): s is number => s !== undefined);
  const second = row.noChange[0]!;
  const sessions = second.sshSessions / row.hosts;
  return [
    row.tool, String(row.hosts), secs(row.first.seconds), secs(median(quiet)),
    inner.length > 0 ? secs(median(inner)) : '–', secs(row.check?.seconds),
    `${second.changed}${second.failed > 0 ? ` (${second.failed} failed)` : ''}${badExit(row) ? ' (a run exited non-zero)' : ''}`,
    peakMemory(row), sessions.toFixed(1),
  ];
}

const HEADER = ['tool', 'hosts', 'first run s', 'no-change s (median)', 'no-change in-run s', 'check s',
  'changed (2nd run)', 'peak RSS MB (largest process / tree)', 'ssh sessions per host (no-change)'];

/** The results as a Markdown table, one line per tool and host count. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = [HEADER, HEADER.map(() => '---'), ...rows.map(cells)];
  return lines.map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}
