// The floor: one fresh `ssh host true` per lab host, `forks` at a time — what any run over fresh SSH connections costs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { labSshOptions } from '../lib/lab/exec.ts';
import type { LabInfo } from '../lib/lab/lab.ts';
import { busyDuring, machineBusySeconds } from './machine-cpu.ts';
import type { ToolRun } from './tools.ts';

/** The ssh options of a lab host, as this runner uses them (no ControlMaster: every connection is a fresh handshake). */
export function floorArgs(lab: Pick<LabInfo, 'keyFile'>, address: string): string[] {
  const noMaster = ['-o', 'ControlMaster=no', '-o', 'ControlPath=none'];
  return [...labSshOptions(lab.keyFile), ...noMaster, '--', address, 'true'];
}

/** Exit code of one `ssh … true` (255 when ssh itself failed); /usr/bin/ssh so the session counter never sees it. */
function sshTrue(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/ssh', args, { stdio: 'ignore' });
    child.on('error', () => resolve(255));
    child.on('close', (code) => resolve(code ?? 255));
  });
}

/** CPU seconds of this process's reaped children (cutime + cstime of /proc/self/stat, 100 ticks a second). */
export function childCpuSeconds(stat = readFileSync('/proc/self/stat', 'utf8')): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Times one fresh `ssh host true` to every lab host, `forks` at a time, from this process (no start-up to count).
 * @returns a run whose `failed` counts hosts where ssh did not exit 0
 */
export async function runFloor(lab: LabInfo, hosts: number, forks: number): Promise<ToolRun> {
  const limit = pLimit(forks);
  const cpuBefore = childCpuSeconds();
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  const codes = await Promise.all(
    lab.hosts.slice(0, hosts).map((h) => limit(() => sshTrue(floorArgs(lab, h.address)))),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = childCpuSeconds() - cpuBefore;
  const machineCpuSeconds = busyDuring(busyBefore);
  const failed = codes.filter((c) => c !== 0).length;
  return {
    seconds,
    code: failed > 0 ? 1 : 0,
    stdout: '',
    stderr: '',
    maxProcessRssMb: undefined,
    treePeakRssMb: 0,
    changed: 0,
    failed,
    sshSessions: hosts,
    sshMasters: 0,
    cpuSeconds,
    ...(machineCpuSeconds === undefined ? {} : { machineCpuSeconds }),
  };
}
