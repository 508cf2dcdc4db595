// Does Node's blocking spawn cost wall time? The floor from this process, empty and holding ballast, against xargs.
// Usage (root, lab tools): RMQD_LAB_ID=7 node_modules/.bin/tsx bench/spawn-floor.ts [hosts=100] [rounds=3]
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { withLab } from '../lib/lab/lab.ts';
import type { LabInfo } from '../lib/lab/lab.ts';
import { quote } from '../lib/shared/shell.ts';
import { floorArgs, runFloor } from './floor.ts';

const FORKS = 32;

/** The same `ssh host true` per host, FORKS at a time, started by xargs (a small process) instead of Node. */
function xargsFloor(lab: LabInfo, hosts: number): number {
  const args = floorArgs(lab, '{}').map(quote).join(' ');
  const addresses = lab.hosts
    .slice(0, hosts)
    .map((h) => h.address)
    .join('\n');
  const started = performance.now();
  const r = spawnSync('sh', ['-c', `xargs -P ${FORKS} -I{} /usr/bin/ssh ${args}`], {
    input: addresses,
  });
  if (r.status !== 0) throw new Error(`xargs floor exited ${r.status}`);
  return (performance.now() - started) / 1000;
}

/** Live heap held during a Node floor: module-level, so V8 cannot collect it while the floor runs. */
const held: number[][] = [];

/** The floor from this process while it holds about `mb` MB of live heap (what a large run's controller holds). */
async function nodeFloor(lab: LabInfo, hosts: number, mb: number): Promise<number> {
  for (let i = 0; i < mb; i++) held.push(new Array(131072).fill(i));
  const run = await runFloor(lab, hosts, FORKS);
  held.length = 0;
  if (run.failed > 0) throw new Error(`${run.failed} hosts failed the Node floor`);
  return run.seconds;
}

const hosts = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 3);
await withLab(
  { hosts, inventory: `/tmp/rmqd-spawn-floor-${process.pid}/hosts.yaml` },
  async (lab) => {
    for (let round = 1; round <= rounds; round++) {
      const xargs = xargsFloor(lab, hosts);
      const empty = await nodeFloor(lab, hosts, 0);
      const held = await nodeFloor(lab, hosts, 100);
      const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
      console.log(
        `round ${round}: xargs ${xargs.toFixed(2)} s, Node ${empty.toFixed(2)} s, Node holding 100 MB ${held.toFixed(2)} s (rss now ${rss} MB)`,
      );
    }
  },
);
