// Booleans: one coercion (true/false, yes/no, on/off, 1/0, any case) for -e, YAML 1.1 words, `when` and module
// arguments; anything else in a boolean place is an error naming the variable, where it was set and the host.
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toBoolean } from '../../../lib/shared/booleans.ts';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { evaluateCondition } from '../../../lib/plan/planner-task.ts';
import { planRun } from '../../../lib/run.ts';
import { expectBool } from '../../../lib/shared/validate.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const where = { file: 'play.yaml', line: 3, col: 5 };
const WORDS: Array<[unknown, boolean | undefined]> = [
  ['true', true],
  ['TRUE', true],
  ['Yes', true],
  ['on', true],
  ['1', true],
  [1, true],
  [true, true],
  ['false', false],
  ['False', false],
  ['no', false],
  ['NO', false],
  ['off', false],
  ['0', false],
  [0, false],
  [false, false],
  ['maybe', undefined],
  ['', undefined],
  [2, undefined],
  [null, undefined],
  [[], undefined],
  ['y', undefined],
];

const C = suite('the one boolean coercion');
C('table: value → boolean, or none', () => {
  for (const [value, expected] of WORDS)
    assert.is(toBoolean(value), expected, JSON.stringify(value));
});
C(
  'when: and module arguments read the same words; anything else is an error naming the variable and host',
  () => {
    for (const [value, expected] of WORDS) {
      if (expected === undefined) {
        assert.throws(
          () => evaluateCondition('flag', { flag: value } as Vars, 'when', where, 'mq1'),
          (e: unknown) =>
            e instanceof ValidationError &&
            /mq1.*"flag".*must be a boolean/.test((e as Error).message),
        );
        assert.throws(() => expectBool(value, 'create', where), /"create" must be a boolean/);
      } else {
        assert.is(
          evaluateCondition('flag', { flag: value } as Vars, 'when', where, 'mq1'),
          expected,
          JSON.stringify(value),
        );
        assert.is(
          evaluateCondition('!flag', { flag: value } as Vars, 'when', where, 'mq1'),
          !expected,
          JSON.stringify(value),
        );
        assert.is(expectBool(value, 'create', where), expected, JSON.stringify(value));
      }
    }
    assert.is(evaluateCondition('{{flag}}', { flag: 'no' }, 'when', where, 'mq1'), false);
  },
);
C.run();

/** inventory/local copied to a temp folder, with `extra` appended to host_vars/localhost.yaml. */
function localCopy(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'booleans-'));
  cpSync('inventory/local', dir, {
    recursive: true,
    filter: (src) => !src.includes('.rocketmq-deploy'),
  });
  if (extra) appendFileSync(join(dir, 'host_vars', 'localhost.yaml'), extra);
  return dir;
}

async function hostnameTask(inventory: string, extraVars: Vars) {
  const planned = await planRun({
    playbook: 'playbooks/single-master.yaml',
    inventory,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars,
    forks: 1,
  });
  const phase = planned.phases.find((p) => p.spec.name === 'Hostname')!;
  return phase.plans.get('localhost')!.tasks[0]!;
}

const R = suite('boolean role variables on the default inventory');
R('-e manage_hostname=no (and every false word) never plans a rename', async () => {
  for (const word of ['no', 'NO', 'false', 'False', 'off', '0']) {
    const task = await hostnameTask('inventory/local', { manage_hostname: word });
    assert.ok(task.skipReason, `-e manage_hostname=${word} must skip the rename`);
  }
  for (const word of ['yes', 'on', '1', 'True']) {
    const task = await hostnameTask('inventory/local', { manage_hostname: word });
    assert.is(task.skipReason, undefined, `-e manage_hostname=${word} renames`);
  }
});
R('a YAML 1.1 `no` in an inventory file is false', async () => {
  const task = await hostnameTask(localCopy('manage_hostname: no\n'), {});
  assert.ok(task.skipReason);
});
R(
  'another value is an error naming the variable, its file:line:col (or -e) and the host',
  async () => {
    const fromE = await planRun({
      playbook: 'playbooks/single-master.yaml',
      inventory: 'inventory/local',
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars: { manage_hostname: 'nope' },
      forks: 1,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(fromE instanceof ValidationError);
    assert.match(
      fromE!.message,
      /localhost: "manage_hostname" must be a boolean .*got "nope" \(set in -e\)/,
    );
    const inv = localCopy('manage_hostname: maybe\n');
    const fromFile = await planRun({
      playbook: 'playbooks/single-master.yaml',
      inventory: inv,
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars: {},
      forks: 1,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(fromFile instanceof ValidationError);
    assert.match(
      fromFile!.message,
      /host_vars\/localhost\.yaml:\d+:\d+: localhost: "manage_hostname" must be a boolean/,
    );
  },
);
R.run();
