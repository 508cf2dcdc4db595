// Runs one command and measures it: wall time, exit code, output, largest process RSS (/usr/bin/time -v) and sampled process-tree RSS.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import type { Readable } from 'node:stream';
import { busyDuring, machineBusySeconds } from './machine-cpu.ts';

export interface Measured {
  seconds: number;
  code: number;
  stdout: string;
  stderr: string;
  /** Largest single process of the tree (ru_maxrss from /usr/bin/time -v), MB; undefined when time is missing. */
  maxProcessRssMb: number | undefined;
  /** Peak of the summed RSS of the whole live process tree, sampled every SAMPLE_MS, MB. */
  treePeakRssMb: number;
  /** User + system CPU of the process and the children it waited for (/usr/bin/time -v), s: steadier than wall time on a loaded machine. */
  cpuSeconds?: number;
  /** Busy CPU of the whole machine meanwhile (/proc/stat), s: with cpuSeconds, what the lab hosts' side cost. */
  machineCpuSeconds?: number;
}

export interface MeasureOptions {
  cwd?: string;
  env?: Record<string, string>;
}

const TIME = '/usr/bin/time';
const SAMPLE_MS = 100;
const PAGE = 4096;

/** Parent pid of every live process, from /proc/<pid>/stat (the field after the parenthesised name). */
function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      /* the process ended while we looked */
    }
  }
  return parents;
}

/** Summed resident memory of `root` and all its live descendants, in bytes. */
export function treeRssBytes(root: number): number {
  const parents = parentMap();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let total = 0;
  for (const pid of tree) {
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** "Maximum resident set size (kbytes): 123" → MB. */
export function parseTimeMaxRss(report: string): number | undefined {
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

/** "User time (seconds): 0.41" + "System time (seconds): 0.12" → 0.53; undefined when missing. */
export function parseTimeCpu(report: string): number | undefined {
  const user = /User time \(seconds\): ([\d.]+)/.exec(report)?.[1];
  const system = /System time \(seconds\): ([\d.]+)/.exec(report)?.[1];
  return user === undefined || system === undefined ? undefined : Number(user) + Number(system);
}

/** A finished child: its exit code, output and the peak RSS of its process tree (sampled every SAMPLE_MS). */
interface Finished {
  code: number;
  stdout: string;
  stderr: string;
  peakBytes: number;
}

/** Collects a child's output while sampling its tree's RSS, until it closes. */
async function finish(child: ChildProcessByStdio<null, Readable, Readable>): Promise<Finished> {
  const done: Finished = { code: 0, stdout: '', stderr: '', peakBytes: 0 };
  child.stdout.on('data', (chunk: Buffer) => {
    done.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    done.stderr += chunk.toString();
  });
  const timer = setInterval(() => {
    if (child.pid) done.peakBytes = Math.max(done.peakBytes, treeRssBytes(child.pid));
  }, SAMPLE_MS);
  done.code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 128));
  }).finally(() => clearInterval(timer));
  return done;
}

/**
 * Runs argv to completion (stdin /dev/null) and measures it.
 * @example const m = await measure(['ansible-playbook', 'site.yml']); m.seconds
 */
export async function measure(argv: string[], opts: MeasureOptions = {}): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'rmqd-bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const withTime = existsSync(TIME) ? [TIME, '-v', '-o', timeFile, ...argv] : argv;
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  const child = spawn(withTime[0]!, withTime.slice(1), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { code, stdout, stderr, peakBytes } = await finish(child);
  const seconds = (performance.now() - started) / 1000;
  const busy = busyDuring(busyBefore);
  const report = await readFile(timeFile, 'utf8').catch(() => '');
  await rm(dir, { recursive: true, force: true });
  const cpu = parseTimeCpu(report);
  return {
    seconds,
    code,
    stdout,
    stderr,
    maxProcessRssMb: parseTimeMaxRss(report),
    treePeakRssMb: peakBytes / 2 ** 20,
    ...(cpu === undefined ? {} : { cpuSeconds: cpu }),
    ...(busy === undefined ? {} : { machineCpuSeconds: busy }),
  };
}
