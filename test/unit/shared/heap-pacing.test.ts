// The heap levers of a run: young generation held from the start, one full collection per phase boundary of large runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { cli } from '../../../lib/cli/main.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import {
  COLLECT_FROM_HOSTS,
  type HeapControls,
  holdYoungGeneration,
  nodeHeapControls,
  phasePacer,
} from '../../../lib/shared/heap-pacing.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';
import { skip } from '../../helpers/skip.ts';

const onDeno = 'Deno' in globalThis;

/** Controls that record what they were asked, in order. */
function recording(log: string[]): HeapControls {
  return { setFlags: (flags) => log.push(`flags ${flags}`), collect: () => log.push('collect') };
}

const phase: RunEvent = { kind: 'phase', phase: 'Base', hosts: ['h1'] };
const recap: RunEvent = { kind: 'recap', counts: {} };
const others: RunEvent[] = [
  { kind: 'start', playbook: 'p.yaml', check: false, diff: false, hosts: ['h1'] },
  { kind: 'warning', message: 'w' },
  { kind: 'unreachable', host: 'h1', message: 'gone' },
];

const Hold = suite('holdYoungGeneration(): V8 keeps its young generation at its first size');
Hold('sets the growth factor of the semi-spaces to 1', () => {
  const log: string[] = [];
  holdYoungGeneration(recording(log));
  assert.equal(log, ['flags --semi-space-growth-factor=1']);
});

/** A fresh Node process that churns short-lived objects; prints its young generation's size before and at most. */
const CHURN = `
import v8 from 'node:v8';
const { holdYoungGeneration } = await import(process.argv[1]);
if (process.argv[2] === 'hold') holdYoungGeneration();
const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const first = size();
let most = first;
const kept = [];
for (let i = 0; i < 1e6; i++) {
  kept.push({ i });
  if (kept.length > 20000) kept.splice(0, 10000);
  if (i % 5000 === 0) most = Math.max(most, size());
}
console.log(JSON.stringify([first, most]));
`;
const SOURCE = fileURLToPath(new URL('../../../lib/shared/heap-pacing.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
function churn(mode: 'hold' | 'free'): [number, number] {
  const argv = ['--import', 'tsx', '--input-type=module', '-e', CHURN, SOURCE, mode];
  const child = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as [number, number];
}

const NODE_ONLY = 'Node only: Deno sets up its own V8 heap and gets no controls';
if (onDeno) skip(Hold, 'the young generation of a Node process', NODE_ONLY, { ci: false });
else
  Hold('in a Node process, the young generation then stays at its size while objects churn', () => {
    const [first, most] = churn('hold');
    assert.is(most, first);
    // The same churn without it grows the young generation: the test can fail.
    const [freeFirst, freeMost] = churn('free');
    assert.ok(freeMost > freeFirst, `${freeFirst} -> ${freeMost}`);
  });
Hold.run();

const Pacer = suite('phasePacer(): a full collection at each phase boundary of a large run');
Pacer(`from ${COLLECT_FROM_HOSTS} hosts: at every phase start and at the recap, never else`, () => {
  const log: string[] = [];
  const pace = phasePacer(COLLECT_FROM_HOSTS, recording(log));
  for (const event of [...others, phase, ...others, phase, recap]) pace(event);
  assert.equal(log, ['collect', 'collect', 'collect']);
});
Pacer('a smaller run never collects', () => {
  const log: string[] = [];
  const pace = phasePacer(COLLECT_FROM_HOSTS - 1, recording(log));
  for (const event of [phase, phase, recap]) pace(event);
  assert.equal(log, []);
});
Pacer.run();

const Controls = suite('nodeHeapControls(): V8 controls without command-line flags');
if (onDeno) Controls('on Deno there are none', () => assert.is(nodeHeapControls(), undefined));
else
  Controls('on Node, collect() runs a full collection', async () => {
    const controls = nodeHeapControls();
    assert.ok(controls);
    let garbage: object | undefined = { big: new Array(1000).fill('x') };
    const ref = new WeakRef(garbage);
    garbage = undefined;
    // A WeakRef keeps its target alive until the current job ends.
    await tick();
    controls.collect();
    assert.is(ref.deref(), undefined);
  });
Controls.run();

const Run = suite('run(): the pacer sees every event of a large run');
Run(
  `${COLLECT_FROM_HOSTS} hosts, 2 phases: a collection at each phase start and at the recap`,
  async () => {
    const dir = tempDir();
    const hosts = Array.from({ length: COLLECT_FROM_HOSTS }, (_, i) => `        h${i}: {}`);
    const task = `- name: The folder exists\n  file: { path: "${dir}", state: directory }\n`;
    const files: Record<string, string> = {
      'inventory/hosts.yaml': `all:\n  vars: { ansible_connection: local }\n  children:\n    g:\n      hosts:\n${hosts.join('\n')}\n`,
      'playbook.yaml':
        'phases:\n  - { name: one, hosts: g, roles: [r] }\n  - { name: two, hosts: g, roles: [r] }\n',
      'roles/r/tasks/main.yaml': task,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const log: string[] = [];
    const out: string[] = [];
    const deps = {
      makeTransport: () => new FakeTransport({ delegate: new LocalTransport() }),
      heap: recording(log),
    };
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      tty: false,
      deps,
    };
    const code = await cli([join(dir, 'playbook.yaml'), '-i', join(dir, 'inventory')], io);
    assert.is(code, 0, out.join(''));
    assert.equal(log, ['collect', 'collect', 'collect']);
  },
);
Run.run();
