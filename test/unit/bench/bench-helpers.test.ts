// Bench helpers: median, Ansible recap and ssh-log parsing, /usr/bin/time parsing, the table, and that the bench job stays valid.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { childCpuSeconds } from '../../../bench/floor.ts';
import { parseTimeCpu, parseTimeMaxRss } from '../../../bench/measure.ts';
import { classifySsh } from '../../../bench/ssh-count.ts';
import { busySecondsOf } from '../../../bench/machine-cpu.ts';
import { formatTable, machineCpu, median, ratio } from '../../../bench/table.ts';
import { parseAnsibleRecap } from '../../../bench/tools.ts';
import type { ToolRun } from '../../../bench/tools.ts';
import { cli } from '../../../lib/cli/main.ts';

const M = suite('median() returns the middle value of unsorted input');
const MEDIANS: Array<[number[], number]> = [
  [[3], 3],
  [[5, 1, 3], 3],
  [[4, 1, 3, 2], 2.5],
  [[0.9, 0.7, 0.8], 0.8],
];
for (const [input, expected] of MEDIANS)
  M(`${JSON.stringify(input)} → ${expected}`, () => assert.is(median(input), expected));
M.run();

const R = suite('parseAnsibleRecap() sums changed and failed+unreachable over PLAY RECAP lines');
const RECAP = `PLAY RECAP *****
mq1                        : ok=13   changed=2    unreachable=0    failed=0    skipped=0
mq2                        : ok=12   changed=3    unreachable=1    failed=1    skipped=0
TASK [changed=99 in a task name is not a recap line] ***`;
R('two hosts', () => assert.equal(parseAnsibleRecap(RECAP), { changed: 5, failed: 2 }));
R('no recap (Ansible died early) → zeros', () =>
  assert.equal(parseAnsibleRecap('ERROR! bad playbook'), { changed: 0, failed: 0 }),
);
R.run();

const C = suite('classifySsh() counts command sessions and masters, never -O control calls');
const CASES: Array<[string[], { sessions: number; masters: number }]> = [
  [['ssh -N', 'ssh', 'ssh', 'ssh -O', ''], { sessions: 2, masters: 1 }],
  [['ssh -O', 'ssh -O'], { sessions: 0, masters: 0 }],
  [['', 'echo b'], { sessions: 0, masters: 0 }],
];
for (const [lines, expected] of CASES)
  C(JSON.stringify(lines), () => assert.equal(classifySsh(lines), expected));
C.run();

const T = suite('parseTimeMaxRss() reads /usr/bin/time -v in MB');
T('present', () =>
  assert.is(parseTimeMaxRss('\tMaximum resident set size (kbytes): 102400\n'), 100),
);
T('missing → undefined', () => assert.is(parseTimeMaxRss(''), undefined));
T('CPU: user + system seconds', () =>
  assert.is(parseTimeCpu('\tUser time (seconds): 0.41\n\tSystem time (seconds): 0.12\n'), 0.53),
);
T('CPU missing → undefined', () =>
  assert.is(parseTimeCpu('\tUser time (seconds): 0.41\n'), undefined),
);
T(
  'children CPU from /proc/self/stat (cutime 150 + cstime 50 ticks → 2 s; a name with spaces and parentheses)',
  () => {
    const stat = '123 (node (x) y) S 1 2 3 4 5 6 7 8 9 10 11 12 150 50 20 0 1 0 100';
    assert.is(childCpuSeconds(stat), 2);
  },
);
T('machine CPU: /proc/stat busy ticks (user, nice, system, irq, softirq, steal) in seconds', () => {
  assert.is(busySecondsOf('cpu  100 20 50 900 10 5 5 20 7 0\ncpu0 1 2 3 4 5 6 7 8\n'), 2);
  assert.throws(() => busySecondsOf('intr 1 2 3\n'), /not a \/proc\/stat cpu line/);
});
T.run();

const run = (seconds: number, extra: Partial<ToolRun> = {}): ToolRun => ({
  seconds,
  code: 0,
  stdout: '',
  stderr: '',
  maxProcessRssMb: 50,
  treePeakRssMb: 80,
  changed: 0,
  failed: 0,
  sshSessions: 8,
  sshMasters: 4,
  ...extra,
});
const F = suite(
  "formatTable() shows medians, the second run's changes, memory and sessions per host",
);
F('one row', () => {
  const table = formatTable([
    {
      tool: 'ansible',
      hosts: 4,
      first: run(9),
      noChange: [run(3, { changed: 1 }), run(1), run(2)],
    },
  ]);
  assert.match(table, '| ansible | 4 | 9.00 | 2.00 | – | – | 1 | 50 / 80 | 2.0 |');
});
F('with a floor and Ansible at the same host count, each time of ours carries both ratios', () => {
  const table = formatTable([
    { tool: 'floor', hosts: 4, first: run(0.5), noChange: [run(0.5), run(0.4), run(0.6)] },
    {
      tool: 'rocketmq-deploy',
      hosts: 4,
      first: run(2),
      noChange: [run(1, { innerSeconds: 0.6 })],
      check: run(0.8),
    },
    { tool: 'ansible', hosts: 4, first: run(20), noChange: [run(10)] },
    { tool: 'rocketmq-deploy', hosts: 24, first: run(3), noChange: [run(2)] },
  ]);
  const lines = table.split('\n');
  assert.match(lines[2]!, '| floor | 4 | – | 0.50 | – | – | – | – | 2.0 |');
  assert.match(
    lines[3]!,
    '| rocketmq-deploy | 4 | 2.00 (4.00× floor, 1/10.0 Ansible) | 1.00 (2.00× floor, 1/10.0 Ansible) | 0.60 (1.20× floor, 1/16.7 Ansible) | 0.80 (1.60× floor, 1/12.5 Ansible) |',
  );
  assert.match(lines[4]!, '| ansible | 4 | 20.00 (40.00× floor) | 10.00 (20.00× floor) |');
  assert.match(
    lines[5]!,
    '| rocketmq-deploy | 24 | 3.00 | 2.00 |',
    'no floor or Ansible measured at 24 hosts: plain seconds',
  );
});
F('CPU seconds carry their ratios to the floor and Ansible too', () => {
  const table = formatTable([
    { tool: 'floor', hosts: 4, first: run(0.5), noChange: [run(0.5, { cpuSeconds: 0.4 })] },
    { tool: 'rocketmq-deploy', hosts: 4, first: run(2), noChange: [run(1, { cpuSeconds: 0.8 })] },
    { tool: 'ansible', hosts: 4, first: run(20), noChange: [run(10, { cpuSeconds: 16 })] },
  ]);
  const lines = table.split('\n');
  assert.ok(lines[2]!.endsWith('| 0.40 | – |'), lines[2]);
  assert.ok(lines[3]!.endsWith('| 0.80 (2.00× floor, 1/20.0 Ansible) | – |'), lines[3]);
  assert.ok(lines[4]!.endsWith('| 16.00 (40.00× floor) | – |'), lines[4]);
});
F(
  "the first run's CPU on the whole machine, and the hosts' side of it (machine minus our tree)",
  () => {
    const floorRound = (m: number) => run(0.5, { cpuSeconds: 1, machineCpuSeconds: m });
    const table = formatTable([
      {
        tool: 'floor',
        hosts: 4,
        first: run(0.5),
        noChange: [floorRound(2), floorRound(3), floorRound(9)],
      },
      {
        tool: 'rocketmq-deploy',
        hosts: 4,
        first: run(2, { cpuSeconds: 4, machineCpuSeconds: 10.5 }),
        noChange: [run(1)],
      },
    ]);
    const lines = table.split('\n');
    assert.ok(lines[0]!.endsWith("| first run CPU s, whole machine (hosts' side) |"), lines[0]);
    assert.ok(lines[2]!.endsWith('| 3.00 (hosts 2.00) |'), `the floor's middle round: ${lines[2]}`);
    assert.ok(lines[3]!.endsWith('| 10.50 (hosts 6.50) |'), lines[3]);
    assert.is(
      machineCpu(run(1, { machineCpuSeconds: 7 })),
      '7.00',
      'no tree CPU: the machine alone',
    );
  },
);
F('ratio() words', () => {
  assert.is(ratio(3, 1.5, 'floor'), '2.00× floor');
  assert.is(ratio(0.5, 6, 'Ansible'), '1/12.0 Ansible');
  assert.is(ratio(1, undefined, 'floor'), undefined);
});
F('a non-zero exit is flagged', () => {
  assert.match(
    formatTable([{ tool: 'ansible', hosts: 1, first: run(1, { code: 2 }), noChange: [run(1)] }]),
    'exited non-zero',
  );
});
F.run();

const J = suite('bench/playbook.yaml is a valid job for the runner');
J('--list-tasks on a 2-host inventory lists both phases and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inv-'));
  writeFileSync(
    join(dir, 'hosts.yaml'),
    'all:\n  hosts:\n    mq1: { ansible_host: 10.77.0.11 }\n    mq2: { ansible_host: 10.77.0.12 }\n',
  );
  let out = '';
  let err = '';
  const code = await cli(['bench/playbook.yaml', '-i', dir, '--list-tasks'], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    tty: false,
  });
  rmSync(dir, { recursive: true, force: true });
  assert.is(code, 0, err);
  assert.match(out, 'Write broker.properties');
  assert.match(out, 'Map every host to its address in /etc/hosts');
});
J.run();
