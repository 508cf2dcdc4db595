// Property: no value from an inventory or -e ever reaches a shell unquoted. Every playbook is planned against the
// shipped and fixture inventories with a hostile value in one string variable at a time, and every script the plan
// would send (probes, and the actions of each module for several fake facts) is read with the shell's lexer.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConfigError,
  TemplateError,
  UsageError,
  ValidationError,
} from '../../../lib/shared/errors.ts';
import { modules } from '../../../lib/modules/index.ts';
import { knownModuleNames } from '../../../lib/load/task-list.ts';
import { loadRole } from '../../../lib/load/roles.ts';
import { planRun } from '../../../lib/run.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import type { PlannedRun } from '../../../lib/run.ts';
import type { ProbeResult, Vars } from '../../../lib/shared/types.ts';
import { exposures } from './sh-scan.ts';

const PLAYBOOKS = readdirSync('playbooks')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `playbooks/${f}`);
const INVENTORIES = [
  'inventory/local',
  'inventory/example-prod',
  ...readdirSync('test/fixtures/inventories', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `test/fixtures/inventories/${d.name}`),
];
const SENTINEL = '$(touch /tmp/rmqd-pwned)';

/** Every string variable a role default or an inventory sets, with its value (hostile values keep it as a prefix). */
function stringVariables(): Map<string, string> {
  const out = new Map<string, string>();
  const roles = readdirSync('roles');
  for (const role of roles) {
    const defaults = loadRole('roles', role, knownModuleNames(modules), {
      file: `roles/${role}`,
      line: 1,
      col: 1,
    }).defaults;
    for (const [k, v] of Object.entries(defaults)) if (typeof v === 'string') out.set(k, v);
  }
  for (const dir of INVENTORIES) {
    for (const host of loadInventory(dir).hosts.values())
      for (const [k, v] of Object.entries(host.vars))
        if (typeof v === 'string' && !out.has(k)) out.set(k, v);
  }
  return out;
}

/** Facts the modules may meet: nothing known, a stopped service, a running one on an old config, and systemd. */
const FACTS = [
  '',
  'supervisor=pidfile\nrunning=no\n',
  'supervisor=pidfile\nrunning=yes\npid=1\nconfig0=aaaa bbbb\nconfig1=none missing\n',
  'supervisor=systemd\nunit=missing\nrunning=yes\npid=1\nenabled=disabled\nconfig0=aaaa bbbb\n',
];

/** Every script the planned run could send to a host: each task's probes and its actions under each set of facts. */
function scriptsOf(planned: PlannedRun): string[] {
  const scripts: string[] = [];
  for (const phase of planned.phases) {
    for (const plan of phase.plans.values()) {
      for (const task of [...plan.tasks, ...plan.handlers.flatMap((h) => h.tasks)]) {
        if (task.skipReason !== undefined) continue;
        const ctx = { host: plan.host, check: false, diff: false };
        const probes = task.module.probes(task.args, ctx);
        // A controller-side probe (`read`) or action (`run`) never reaches a host shell: its script is only a key.
        scripts.push(...probes.filter((p) => p.read === undefined).map((p) => p.script));
        for (const stdout of FACTS) {
          const facts = new Map<string, ProbeResult>(
            probes.map((p) => [p.id, { stdout, stderr: '', code: 0 }]),
          );
          try {
            scripts.push(
              ...task.module
                .plan(task.args, facts, ctx)
                .actions.filter((a) => a.run === undefined)
                .map((a) => a.script),
            );
          } catch {
            // Facts this module cannot read: it fails the task, and sends nothing.
          }
        }
      }
    }
  }
  return scripts;
}

/** Plans with one hostile variable; undefined when validation refuses the value (which is safe too). */
async function plan(
  playbook: string,
  inventory: string,
  extraVars: Vars,
): Promise<PlannedRun | undefined> {
  try {
    return await planRun({
      playbook,
      inventory,
      check: false,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars,
      forks: 1,
    });
  } catch (error) {
    if (
      error instanceof ValidationError ||
      error instanceof TemplateError ||
      error instanceof UsageError ||
      error instanceof ConfigError
    )
      return undefined;
    throw error;
  }
}

function exposed(planned: PlannedRun | undefined, value: string): string[] {
  if (!planned) return [];
  const needles = [SENTINEL, ...(value.includes("'") ? [] : [value])];
  return scriptsOf(planned).flatMap((script) => needles.flatMap((n) => exposures(script, n)));
}

const VARIABLES = stringVariables();
/** Shell metacharacters, quotes, spaces and globs; no newline (refused at load time). */
const hostile = fc
  .string({
    unit: fc.constantFrom(...'$()`\'";|&*?[] <>\\{}~!#'.split(''), 'a', '/'),
    maxLength: 12,
  })
  .map((noise) => `${noise}${SENTINEL}${noise.split('').reverse().join('')}`);

const S = suite('no hostile value reaches a shell unquoted');
S('the scanner sees an unquoted value, and a quoted one as safe', () => {
  assert.ok(exposures(`x --cluster ${SENTINEL}`, SENTINEL).length > 0);
  assert.ok(exposures(`sh -c 'java --cluster ${SENTINEL}'`, SENTINEL).length > 0);
  assert.equal(exposures(`x --cluster '${SENTINEL}'`, SENTINEL), []);
  assert.equal(exposures(`sh -c 'exec "$@"' n '${SENTINEL}'`, SENTINEL), []);
});
/** The sweep: every playbook on the default inventory, and the seed's 2m2s layout on a many-host inventory. */
const SWEEP = [
  ...PLAYBOOKS.map((p) => [p, 'inventory/local']),
  ['playbooks/2m2s-sync.yaml', 'inventory/example-prod'],
] as const;

S('every string variable in every playbook: one hostile value each', async () => {
  const leaks: string[] = [];
  let reached = 0;
  for (const [name, original] of VARIABLES) {
    const value = `${original}${SENTINEL}'; "*\` ?`;
    for (const [playbook, inventory] of SWEEP) {
      const planned = await plan(playbook, inventory, { [name]: value });
      if (planned && scriptsOf(planned).some((s) => s.includes(SENTINEL))) reached++;
      leaks.push(
        ...exposed(planned, value).map((e) => `${name} in ${playbook} on ${inventory}: …${e}…`),
      );
    }
  }
  assert.ok(reached > 20, `hostile values reached only ${reached} plans: the test checks nothing`);
  assert.equal(leaks.slice(0, 5), []);
});
S(
  'a controller-side probe is not a host script (its key may hold any value): the rocketmq_topics sweep case',
  async () => {
    // fast-check found this once: topics_namesrv reaches the key of rocketmq_topics' controller-side read, never a shell.
    const planned = await plan(
      'playbooks/2m2s-async.yaml',
      'test/fixtures/inventories/2m2s-controller-embedded',
      { topics_namesrv: SENTINEL },
    );
    assert.equal(exposed(planned, SENTINEL), []);
  },
);
S('generated hostile values (fast-check) in any variable, playbook and inventory', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...VARIABLES.keys()),
      fc.constantFrom(...PLAYBOOKS),
      fc.constantFrom(...INVENTORIES),
      hostile,
      async (name, playbook, inventory, value) => {
        const planned = await plan(playbook, inventory, {
          [name]: `${VARIABLES.get(name)}${value}`,
        });
        assert.equal(exposed(planned, `${VARIABLES.get(name)}${value}`), []);
      },
    ),
    { numRuns: 40 },
  );
});
S.run();

/** Plans a one-task playbook on inventory/local; returns the error message, or "" when it plans. */
async function planTaskText(task: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'shell-literal-'));
  const playbook = join(dir, 'p.yaml');
  writeFileSync(
    playbook,
    `name: t\nphases:\n  - name: P\n    hosts: localhost\n    tasks:\n      - name: T\n        ${task}\n`,
  );
  try {
    await planRun({
      playbook,
      inventory: 'inventory/local',
      rolesDir: 'roles',
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars: {},
      forks: 1,
    });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

const L = suite('shell text in a task is literal; values travel as argv words');
L('table: task → refused (naming the argument) or planned', async () => {
  const cases: Array<[string, RegExp | '']> = [
    ['command: { cmd: "echo hi" }', ''],
    ['command: { argv: [echo, "{{rocketmq_cluster_name}}"] }', ''],
    ['command: { argv: [sh, -c, \'echo "$1"\', x, "{{rocketmq_cluster_name}}"] }', ''],
    [
      'command: { cmd: "echo {{rocketmq_cluster_name}}" }',
      /task "T": "cmd" is shell text with \{\{ \}\}.*argv list/,
    ],
    [
      'command: { argv: [sh, -c, "echo {{rocketmq_cluster_name}}"] }',
      /"argv\[2\]" is a templated script after "sh -c"/,
    ],
    [
      'service: { name: x, command: [sleep, "1"], health: "test -n {{rocketmq_cluster_name}}" }',
      /"health" is shell text/,
    ],
    [
      'service: { name: x, command: [sleep, "1"], guard: [test, -n, "{{rocketmq_cluster_name}}"] }',
      '',
    ],
  ];
  for (const [task, expected] of cases) {
    const message = await planTaskText(task);
    if (expected === '') assert.is(message, '', task);
    else assert.match(message, expected, task);
  }
});
L.run();
