// Planning is pure: real roles loaded as data plan the same from an empty working folder with node:fs refused.
import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRun, type LoadedRun } from '../../../lib/load/load-run.ts';
import { modules } from '../../../lib/modules/index.ts';
import { planPhases, type PlannedPhase } from '../../../lib/plan/planner.ts';
import { varScope } from '../../../lib/load/vars.ts';
import { run } from '../../../lib/run.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import { testIf } from '../../helpers/skip.ts';

const fsObject = fs as unknown as Record<string, unknown>;

/**
 * Runs `fn` with every function of node:fs throwing (named imports too: Node re-syncs them), then restores them.
 * @returns what fn returned and the fs calls it attempted
 */
function withoutFs<T>(fn: () => T): { value: T; calls: string[] } {
  const saved = Object.entries(fsObject).filter(
    ([name, f]) => typeof f === 'function' && /^[a-z]/.test(name),
  );
  const calls: string[] = [];
  for (const [name] of saved) {
    fsObject[name] = (...args: unknown[]) => {
      calls.push(`${name}(${String(args[0])})`);
      throw new Error(`planning called fs.${name}(${String(args[0])})`);
    };
  }
  syncBuiltinESMExports();
  try {
    return { value: fn(), calls };
  } finally {
    for (const [name, f] of saved) fsObject[name] = f;
    syncBuiltinESMExports();
  }
}

/** Whether the guard reaches a named import on this runtime (Node: yes; Deno's node:fs exports do not re-sync). */
const guardBinds = (() => {
  const { calls } = withoutFs(() => {
    try {
      readFileSync('package.json');
    } catch {
      // refused, as wanted
    }
  });
  return calls.length > 0;
})();

/** Arguments as text; a closure (a service gate's check) by its source, since each planning makes its own. */
const text = (args: unknown): string =>
  JSON.stringify(args, (_, v) => (typeof v === 'function' ? `fn ${String(v)}` : v)) ?? 'undefined';

/** What a plan says, with modules by name: the form the two plannings are compared in. */
const shape = (phases: PlannedPhase[]) =>
  phases.map((p) => ({
    phase: p.spec.name,
    hosts: p.hosts,
    plans: [...p.plans.values()].map((plan) => ({
      host: plan.host,
      tasks: plan.tasks.map((t) => [
        t.label,
        t.module.name,
        t.skipReason ?? null,
        t.countsAsChange,
        text(t.args),
      ]),
      handlers: plan.handlers.map((h) => [
        h.name,
        h.tasks.map((t) => [t.label, t.skipReason ?? null, text(t.args)]),
      ]),
    })),
  }));

const planOf = (loaded: LoadedRun) =>
  planPhases({ ...loaded, modules, tags: [], skipTags: [], vars: varScope(loaded.inventory) });

const P = suite('planPhases() plans real roles given as data, with no file system');

P(
  '2m2s-sync (hosts-file, java, nameserver, broker…): same plans from an empty folder, node:fs refused',
  () => {
    // Relative paths, as the CLI loads them: from an empty working folder any file the planner opened would be missing.
    const loaded = loadRun(
      { playbook: 'playbooks/2m2s-sync.yaml', inventory: 'inventory/local' },
      modules,
    );
    const expected = shape(planOf(loaded));
    const roles = new Set(
      expected.flatMap((p) => p.plans.flatMap((plan) => plan.tasks.map((t) => String(t[1])))),
    );
    assert.ok(
      roles.has('template') && roles.has('copy'),
      'the plan renders templates and copies src files',
    );
    const home = process.cwd();
    const empty = mkdtempSync(join(tmpdir(), 'rmqd-plan-no-fs-'));
    process.chdir(empty);
    try {
      const { value, calls } = withoutFs(() => planOf(loaded));
      assert.equal(calls, [], 'the planner made no fs call');
      assert.equal(shape(value), expected);
    } finally {
      process.chdir(home);
      rmSync(empty, { recursive: true, force: true });
    }
  },
);

const noGuard = guardBinds
  ? undefined
  : 'this runtime does not re-bind named node:fs imports (Deno); the empty folder still proves it';
testIf(
  P,
  noGuard,
  'the guard is real: a named node:fs import throws inside it',
  () => {
    const refused = /planning called fs\.readFileSync/;
    const { calls } = withoutFs(() => assert.throws(() => readFileSync('package.json'), refused));
    assert.equal(calls, ['readFileSync(package.json)']);
  },
  { ci: false },
);
P.run();

const Pre = suite('run(): preflight runs before planning and a failed preflight touches no host');

Pre(
  'an unknown preflight check fails before the task that would fail planning, with no transport made',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmqd-preflight-first-'));
    try {
      writeFileSync(
        join(dir, 'hosts.yaml'),
        'all:\n  hosts:\n    h1: { ansible_host: 127.0.0.1 }\n',
      );
      const book =
        'preflight:\n  - check: nosuch\nphases:\n  - hosts: all\n    tasks:\n' +
        '      - command: echo hi\n        when: not_defined_anywhere\n';
      writeFileSync(join(dir, 'site.yaml'), book);
      const events: RunEvent[] = [];
      let transports = 0;
      const options = {
        playbook: join(dir, 'site.yaml'),
        inventory: dir,
        rolesDir: dir,
        check: false,
        diff: false,
        tags: [],
        skipTags: [],
        extraVars: {},
        forks: 1,
      };
      const makeTransport = () => {
        transports += 1;
        throw new Error('no host may be touched');
      };
      const error = await run(options, (e) => events.push(e), { makeTransport }).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.match(String(error?.message), /site\.yaml:2:\d+: unknown preflight check "nosuch"/);
      assert.is(transports, 0);
      assert.equal(events, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
Pre.run();
