// What an operator sees: Verify's proof in every output mode and in --json, loop labels, selection skips left to -v.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { modules } from '../../../lib/modules/index.ts';
import { loadPlaybook } from '../../../lib/load/playbook.ts';
import { humanReporter } from '../../../lib/report/human.ts';
import { jsonCollector } from '../../../lib/report/json.ts';
import { countEvents } from '../../../lib/report/counts.ts';
import { planRun } from '../../../lib/run.ts';
import { selectionSkips } from '../../../lib/plan/skip-selection.ts';
import type { Proof } from '../../../lib/shared/types.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';

const where = { file: 'roles/verify/tasks/main.yaml', line: 3, col: 3 };
const proof: Proof = {
  lines: [
    'clusterList -n 127.0.0.1:9876: cluster DefaultCluster, 2 brokers',
    '  broker-a id 0 master at 127.0.0.1:10911 V5_3_1',
    '  broker-a id 1 slave at 127.0.0.1:10921 V5_3_1',
    '1000/1000 messages sent and received back (topic T)',
  ],
  data: { checked: true, messages: { topic: 'T', sent: 1000, received: 1000 } },
};
const verifyRun: RunEvent[] = [
  { kind: 'start', playbook: 'p.yaml', check: false, diff: false, hosts: ['mq1'] },
  { kind: 'phase', phase: 'Verify', hosts: ['mq1'] },
  {
    kind: 'task',
    phase: 'Verify',
    host: 'mq1',
    task: 'Verify the cluster',
    status: 'ok',
    changes: [],
    message: 'cluster DefaultCluster: 2 brokers as declared; 1000/1000 messages received',
    where,
    proof,
  },
  { kind: 'recap', counts: { mq1: { ok: 1, changed: 0, failed: 0, skipped: 0, unreachable: 0 } } },
];

function human(events: RunEvent[], tty: boolean, verbose = false): string {
  let out = '';
  const sink = humanReporter({ tty, diff: false, verbose, write: (t) => (out += t) });
  events.forEach(sink);
  return out;
}

const P = suite('the Verify proof is printed in every output mode and kept in the JSON report');
for (const tty of [true, false]) {
  P(
    `${tty ? 'terminal' : 'pipe or cron'}: the recap shows the brokers, roles, addresses and the message count`,
    () => {
      const out = human(verifyRun, tty);
      const recap = out.slice(out.indexOf('PLAY RECAP'));
      assert.match(
        recap,
        'PROOF (mq1, Verify: Verify the cluster)\n  clusterList -n 127.0.0.1:9876: cluster DefaultCluster, 2 brokers\n    broker-a id 0 master at 127.0.0.1:10911',
      );
      assert.match(recap, '  1000/1000 messages sent and received back (topic T)');
      assert.match(recap, 'PHASES\n  Verify  ok');
    },
  );
}
P('--json: the task result and the top-level proofs carry it', () => {
  const json = jsonCollector('p.yaml');
  verifyRun.forEach(json.sink);
  const report = json.finish(0);
  assert.equal(report.proofs, [
    { host: 'mq1', phase: 'Verify', task: 'Verify the cluster', ...proof },
  ]);
  assert.equal(report.results[0]?.proof, proof);
});
P('failures are listed again under the recap', () => {
  const failed: RunEvent = {
    kind: 'task',
    phase: 'Masters',
    host: 'mq1',
    task: 'Run the broker (broker-a-0)',
    status: 'failed',
    changes: [],
    message: 'exited within 1 s',
    where,
  };
  const out = human(
    [verifyRun[0]!, { kind: 'phase', phase: 'Masters', hosts: ['mq1'] }, failed, verifyRun[3]!],
    false,
  );
  assert.match(
    out,
    'PHASES\n  Masters  1 FAILED\nFAILURES\n  mq1  Masters / Run the broker (broker-a-0): exited within 1 s',
  );
});
P.run();

// 2m2s-sync on the default inventory, planned only (no host is contacted): every task ok or skipped as planned.
const planned = await planRun({
  playbook: 'playbooks/2m2s-sync.yaml',
  inventory: 'inventory/local',
  check: true,
  diff: false,
  tags: [],
  skipTags: [],
  extraVars: {},
  forks: 10,
});
const isSelection = selectionSkips(planned.phases);
const events: RunEvent[] = [
  {
    kind: 'start',
    playbook: 'playbooks/2m2s-sync.yaml',
    check: false,
    diff: false,
    hosts: ['localhost'],
  },
];
for (const phase of planned.phases) {
  events.push({ kind: 'phase', phase: phase.spec.name, hosts: phase.hosts });
  for (const plan of phase.plans.values()) {
    for (const task of plan.tasks) {
      const event: RunEvent = {
        kind: 'task',
        phase: phase.spec.name,
        host: plan.host,
        task: task.label,
        status: task.skipReason === undefined ? 'ok' : 'skipped',
        changes: [],
        where: task.spec.where,
      };
      events.push(isSelection(event) ? { ...event, selection: true } : event);
    }
  }
}
const skips = events.filter((e) => e.kind === 'task' && e.status === 'skipped');
events.push({ kind: 'recap', counts: countEvents(events, ['localhost']) });

const S = suite(
  'a clean 2m2s-sync run on inventory/local: the recap counts only the skips an operator chose',
);
S(
  "per-phase instance selection is not counted (nor shown) without -v; the operator's own skips are",
  () => {
    const selection = skips.filter((e) => e.kind === 'task' && e.selection === true);
    // The broker role loops only over its phase's instances (broker_phase_instances), so what is left is mostly the
    // rolling phases' config tasks, which ran in the Masters/Slaves phases (76 skips, 54 selection, before it did; 36 and 14 now).
    assert.ok(
      selection.length >= 10,
      `most skips are selection: ${selection.length} of ${skips.length}`,
    );
    const out = human(events, true);
    assert.match(
      out,
      new RegExp(
        `localhost : ok=\\d+ +changed=0 +unreachable=0 +failed=0 +skipped=${skips.length - selection.length}\\n`,
      ),
    );
    assert.match(
      out,
      `(${selection.length} skips not counted: tasks that run for another instance, phase or host of this run; -v shows them)`,
    );
    assert.not.match(
      out,
      /Write broker\.properties \(broker-b-1\): skipped/,
      'selection skips are not listed',
    );
    const verbose = human(events, true, true);
    assert.match(verbose, new RegExp(`skipped=${skips.length}\\n`));
    assert.match(verbose, /Write broker\.properties \(broker-b-1\): skipped/);
  },
);
S(
  "a task that runs nowhere in the run (manage_hostname: false) is the operator's skip, not selection",
  () => {
    const hostname = skips.filter((e) => e.kind === 'task' && e.phase === 'Hostname');
    assert.ok(
      hostname.length > 0 && hostname.every((e) => e.kind === 'task' && e.selection !== true),
    );
  },
);
S.run();

const L = suite('loop_control.label names loop items (broker-a-0), never a JSON dump');
L('every planned task label of 2m2s-sync is readable', () => {
  const labels = planned.phases.flatMap((p) =>
    [...p.plans.values()].flatMap((plan) => plan.tasks.map((t) => t.label)),
  );
  assert.equal(
    labels.filter((l) => l.includes('{')),
    [],
  );
  assert.ok(labels.includes('Write broker.properties (broker-a-0)'), labels.join('\n'));
  assert.ok(labels.includes('Run the broker (broker-b-1)'));
});
L('loop_control is checked where it is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmqd-loop-control-'));
  const rows: Array<[string, RegExp]> = [
    ['        loop_control: { label: "{{item}}" }\n', /p\.yaml:6:9: "loop_control" needs a "loop"/],
    [
      '        loop: [a]\n        loop_control: { lable: "{{item}}" }\n',
      /p\.yaml:7:25: loop_control: unknown key "lable" \(known: label\)/,
    ],
  ];
  for (const [keys, error] of rows) {
    writeFileSync(
      join(dir, 'p.yaml'),
      `phases:\n  - name: One\n    hosts: all\n    tasks:\n      - name: t\n${keys}        command: echo hi\n`,
    );
    assert.throws(() => loadPlaybook(join(dir, 'p.yaml'), { rolesDir: dir, modules }), error);
  }
});
L.run();
