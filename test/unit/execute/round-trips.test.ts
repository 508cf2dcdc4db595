// Round trips per host across a run: one fact trip when nothing changes; a change voids only the answers it could touch.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execute, type ExecuteInput } from '../../../lib/execute/executor.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import type { PlannedPhase, PlannedTask } from '../../../lib/plan/planner.ts';
import type { Module } from '../../../lib/shared/types.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import type { FakeHandler } from '../../helpers/fake-transport.ts';
import { FACT_SCRIPT_MARKER } from '../../../lib/execute/fact-script.ts';
import {
  flagModule,
  inventoryOf,
  isFactScript,
  phase,
  task,
  tempDir,
} from '../../helpers/runner-fixtures.ts';

// The runner tells host-local probes from volatile ones by module name: these doubles carry the real modules' names.
const localFlag = { ...flagModule, name: 'copy' } as Module<unknown>;
const serviceFlag = { ...flagModule, name: 'service' } as Module<unknown>;
const verifyFlag = { ...flagModule, name: 'rocketmq_verify' } as Module<unknown>;

const flag = (
  module: Module<unknown>,
  name: string,
  path: string,
  content: string,
  become = false,
): PlannedTask => ({ ...task(name, 'flag', { path, content }, { become }), module });

type Run = { transports: Map<string, FakeTransport>; events: RunEvent[] };

/** Runs the phases over recording transports that really execute in a temp dir; `local` hosts share this machine. */
async function run(
  phases: PlannedPhase[],
  options: { check?: boolean; local?: string[]; failing?: boolean; handler?: FakeHandler } = {},
): Promise<Run> {
  const transports = new Map<string, FakeTransport>();
  const events: RunEvent[] = [];
  const inventory = inventoryOf([...new Set(phases.flatMap((p) => p.hosts))]);
  for (const name of options.local ?? [])
    inventory.hosts.get(name)!.vars.ansible_connection = 'local';
  const input: ExecuteInput = {
    phases,
    inventory,
    forks: 10,
    check: options.check ?? false,
    diff: false,
    emit: (e) => events.push(e),
    makeTransport: (host) => {
      const t = new FakeTransport({
        delegate: new LocalTransport(),
        name: host.name,
        ...(options.handler ? { handler: options.handler } : {}),
      });
      transports.set(host.name, t);
      return t;
    },
  };
  const result = await execute(input);
  if (!options.failing) assert.equal([...result.failed, ...result.unreachable], []);
  return { transports, events };
}

const kinds = (t: FakeTransport | undefined): string[] =>
  (t?.calls ?? []).map((c) => (isFactScript(c.script) ? 'facts' : 'action'));
const statuses = (events: RunEvent[], host: string): string[] =>
  events.flatMap((e) => (e.kind === 'task' && e.host === host ? [e.status] : []));

/** A file per host and phase, already holding its declared content. */
function declared(dir: string, hosts: string[], phases: number): void {
  for (const h of hosts)
    for (let p = 0; p < phases; p++) writeFileSync(join(dir, `${h}-${p}`), 'v');
}

const NoChange = suite('a no-change run costs ONE exec per host, however many phases');

const nineCases: Array<{ name: string; module: Module<unknown>; check: boolean }> = [
  { name: 'host-local probes (copy), real run', module: localFlag, check: false },
  { name: 'volatile probes (service), real run', module: serviceFlag, check: false },
  { name: 'host-local probes, --check', module: localFlag, check: true },
];
for (const c of nineCases) {
  NoChange(`9 phases × 2 tasks, 3 hosts, ${c.name}: 1 exec per host, every task ok`, async () => {
    const dir = tempDir();
    const hosts = ['a', 'b', 'c'];
    declared(dir, hosts, 9);
    const phases = Array.from({ length: 9 }, (_, p) =>
      phase(`p${p}`, hosts, (h) => [
        flag(c.module, `t${p}`, join(dir, `${h}-${p}`), 'v'),
        flag(c.module, `u${p}`, join(dir, `${h}-${p}`), 'v'),
      ]),
    );
    const { transports, events } = await run(phases, { check: c.check });
    for (const h of hosts) {
      assert.equal(kinds(transports.get(h)), ['facts'], `host ${h}`);
      assert.equal(statuses(events, h), Array(18).fill('ok'), `host ${h}`);
    }
  });
}

NoChange(
  'a later phase with become rides along in the same exec (its probes go through the sudo part)',
  async () => {
    const dir = tempDir();
    declared(dir, ['a'], 2);
    const phases = [
      phase('plain', ['a'], () => [flag(localFlag, 't0', join(dir, 'a-0'), 'v')]),
      phase('sudo', ['a'], () => [flag(localFlag, 't1', join(dir, 'a-1'), 'v', true)]),
    ];
    const { transports, events } = await run(phases);
    assert.equal(kinds(transports.get('a')), ['facts']);
    assert.match(transports.get('a')!.calls[0]!.script, /sudo/);
    assert.equal(statuses(events, 'a'), ['ok', 'ok']);
  },
);

NoChange(
  'rocketmq_verify is never asked ahead (its probe starts a JVM and sends messages): its phase asks it',
  async () => {
    const dir = tempDir();
    declared(dir, ['a'], 2);
    const phases = [
      phase('files', ['a'], () => [flag(localFlag, 't0', join(dir, 'a-0'), 'v')]),
      phase('verify', ['a'], () => [flag(verifyFlag, 't1', join(dir, 'a-1'), 'v')]),
    ];
    const { transports } = await run(phases);
    const calls = transports.get('a')!.calls;
    assert.equal(kinds(transports.get('a')), ['facts', 'facts']);
    assert.not.ok(calls[0]!.script.includes('a-1'), 'the first trip does not run the verify probe');
  },
);
NoChange.run();

const AfterChange = suite(
  'after a change, a later phase asks again only for the answers the change could touch',
);

AfterChange(
  "a changes in every phase: its later phases are asked in each change's exec; b (another machine) asks once",
  async () => {
    const dir = tempDir();
    declared(dir, ['b'], 3);
    const phases = Array.from({ length: 3 }, (_, p) =>
      phase(`p${p}`, ['a', 'b'], (h) => [flag(localFlag, `t${p}`, join(dir, `${h}-${p}`), 'v')]),
    );
    const { transports, events } = await run(phases);
    // p0: facts (with p1, p2 ahead), then write a-0 and, in the same exec after it, ask p1's and p2's questions again
    // (the write voided the first answers); p1 plans from those and writes a-1 the same way; p2 likewise.
    assert.equal(kinds(transports.get('a')), ['facts', 'action', 'action', 'action']);
    assert.equal(kinds(transports.get('b')), ['facts']);
    assert.equal(statuses(events, 'a'), ['changed', 'changed', 'changed']);
    assert.is(readFileSync(join(dir, 'a-2'), 'utf8'), 'v');
  },
);

AfterChange(
  'a change anywhere voids volatile answers everywhere: b asks again for its service facts',
  async () => {
    const dir = tempDir();
    declared(dir, ['b'], 2);
    const phases = [
      phase('p0', ['a', 'b'], (h) => [flag(localFlag, 't0', join(dir, `${h}-0`), 'v')]),
      phase('p1', ['b'], (h) => [flag(serviceFlag, 't1', join(dir, `${h}-1`), 'v')]),
    ];
    const { transports } = await run(phases);
    assert.equal(kinds(transports.get('b')), ['facts', 'facts']);
  },
);

AfterChange(
  "hosts on one machine (local connection) share files: a change on a voids b's host-local answers",
  async () => {
    const dir = tempDir();
    declared(dir, ['b'], 2);
    const phases = Array.from({ length: 2 }, (_, p) =>
      phase(`p${p}`, ['a', 'b'], (h) => [flag(localFlag, `t${p}`, join(dir, `${h}-${p}`), 'v')]),
    );
    const { transports } = await run(phases, { local: ['a', 'b'] });
    assert.equal(kinds(transports.get('b')), ['facts', 'facts']);
  },
);

AfterChange(
  'a later phase plans from the state the earlier phase left, not from the answers asked ahead',
  async () => {
    const dir = tempDir();
    const path = join(dir, 'shared');
    writeFileSync(path, 'old');
    const phases = [
      phase('p0', ['a'], () => [flag(localFlag, 'write new', path, 'new')]),
      phase('p1', ['a'], () => [flag(localFlag, 'expect new', path, 'new')]),
    ];
    const { events } = await run(phases);
    assert.equal(statuses(events, 'a'), ['changed', 'ok']);
  },
);
AfterChange.run();

const InPhase = suite(
  "a change inside a phase costs ONE trip: the next tasks' facts ride along in the action's exec",
);
/** True for an action exec that also asks facts (the combined trip). */
const ridesAlong = (script: string): boolean =>
  !isFactScript(script) && script.includes(FACT_SCRIPT_MARKER);

InPhase(
  'three changing tasks: facts, then ONE exec that applies all three (was one exec per change)',
  async () => {
    const dir = tempDir();
    const { transports, events } = await run([
      phase('p0', ['a'], () =>
        [0, 1, 2].map((i) => flag(localFlag, `t${i}`, join(dir, `a-${i}`), 'v')),
      ),
    ]);
    assert.equal(kinds(transports.get('a')), ['facts', 'action']);
    assert.equal(statuses(events, 'a'), ['changed', 'changed', 'changed']);
    for (const i of [0, 1, 2]) assert.is(readFileSync(join(dir, `a-${i}`), 'utf8'), 'v');
  },
);

InPhase(
  'the next task plans from the facts asked AFTER the action (same file declared twice: changed, then ok)',
  async () => {
    const path = join(tempDir(), 'shared');
    writeFileSync(path, 'old');
    const { transports, events } = await run([
      phase('p0', ['a'], () => [
        flag(localFlag, 'write', path, 'new'),
        flag(localFlag, 'again', path, 'new'),
      ]),
    ]);
    assert.equal(statuses(events, 'a'), ['changed', 'ok']);
    assert.equal(kinds(transports.get('a')), ['facts', 'action']);
  },
);

InPhase(
  'a failed action stops the host there: no facts asked after it, the next task does not run',
  async () => {
    const dir = tempDir();
    const tasks = () => [
      flag(localFlag, 'fails', join(dir, 'missing-dir', 'x'), 'v'),
      flag(localFlag, 'next', join(dir, 'b'), 'v'),
    ];
    const { transports, events } = await run([phase('p0', ['a'], tasks)], { failing: true });
    assert.equal(statuses(events, 'a'), ['failed']);
    assert.equal(kinds(transports.get('a')), ['facts', 'action']);
    assert.match(
      events.flatMap((e) => (e.kind === 'task' ? [e.message ?? ''] : [])).join('\n'),
      /action failed: write .*missing-dir/,
    );
  },
);

InPhase(
  'a next task whose probe is not a cheap look (rocketmq_verify) is asked on its own, as before',
  async () => {
    const dir = tempDir();
    const tasks = () => [
      flag(localFlag, 't0', join(dir, 'a-0'), 'v'),
      flag(verifyFlag, 'verify', join(dir, 'a-1'), 'v'),
    ];
    const { transports } = await run([phase('p0', ['a'], tasks)]);
    assert.equal(kinds(transports.get('a')), ['facts', 'action', 'facts', 'action']);
  },
);

InPhase(
  'answers cut short in the combined exec: the action still counts, the next phase asks again on its own',
  async () => {
    const dir = tempDir();
    const local = new LocalTransport();
    const handler: FakeHandler = async (script, opts) => {
      if (!ridesAlong(script)) return undefined;
      const result = await local.exec(script, opts);
      // Drop the closing frame: the answers no longer parse, as when the connection drops mid-output.
      return { ...result, stdout: result.stdout.slice(0, -20) };
    };
    const { transports, events } = await run(
      [0, 1].map((i) =>
        phase(`p${i}`, ['a'], () => [flag(localFlag, `t${i}`, join(dir, `a-${i}`), 'v')]),
      ),
      { handler },
    );
    assert.equal(kinds(transports.get('a')), ['facts', 'action', 'facts', 'action']);
    assert.equal(statuses(events, 'a'), ['changed', 'changed']);
  },
);
InPhase.run();
