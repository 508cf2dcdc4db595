// Pure helpers of the runner: tag selection, conditions, loops, exit codes, redaction, recap, diff and option parsing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCliOptions } from '../../../lib/cli/options.ts';
import { UsageError, ValidationError } from '../../../lib/shared/errors.ts';
import { exitCodeOf } from '../../../lib/cli/exit-codes.ts';
import { batches } from '../../../lib/execute/executor.ts';
import { groupActions } from '../../../lib/execute/host-session.ts';
import { taskSelected } from '../../../lib/plan/planner.ts';
import { evaluateCondition, planTask } from '../../../lib/plan/planner-task.ts';
import { makeRedactor, secretValues } from '../../../lib/report/redact.ts';
import { formatRecap } from '../../../lib/report/human.ts';
import { unifiedDiff } from '../../../lib/report/diff.ts';
import { taskSpec, testModules, where } from '../../helpers/runner-fixtures.ts';

/** A host's scope for planTask(): no role folders, no loaded files, a fresh template cache. */
const scope = (vars: Record<string, unknown>) => ({
  host: 'h',
  vars,
  folders: { playbookDir: '.' },
  files: new Map(),
  templates: new Map(),
});

const Tags = suite('taskSelected() applies --tags and --skip-tags');
const TAG_CASES: Array<[string[], string[], string[], string[], boolean]> = [
  [[], [], [], [], true],
  [['config'], [], ['config'], [], true],
  [['install'], [], ['config'], [], false],
  [[], ['config'], ['config'], [], true],
  [['always'], [], ['config'], [], true],
  [['always'], [], [], ['always'], false],
  [['config'], [], [], ['config'], false],
  [['config', 'x'], [], ['config'], ['x'], false],
];
Tags('table', () => {
  for (const [task, phase, only, skip, expected] of TAG_CASES) {
    assert.is(
      taskSelected(task, phase, only, skip),
      expected,
      JSON.stringify([task, phase, only, skip]),
    );
  }
});
Tags.run();

const Conditions = suite('evaluateCondition() reads a name, !name or a template');
Conditions('table', () => {
  const vars = { yes: true, no: false, text: 'false', nested: { on: 1 }, n: 3 };
  const cases: Array<[string, boolean]> = [
    ['yes', true],
    ['!yes', false],
    ['no', false],
    ['!no', true],
    ['text', false],
    ['nested.on', true],
    ['true', true],
    ['{{#if yes}}true{{else}}false{{/if}}', true],
  ];
  for (const [text, expected] of cases)
    assert.is(evaluateCondition(text, vars, 'when', where, 'h'), expected, text);
});
Conditions('an undefined variable or a non-boolean template is an error naming the host', () => {
  assert.throws(
    () => evaluateCondition('missing', {}, 'when', where, 'h1'),
    (e: unknown) => e instanceof ValidationError && /h1.*"missing"/.test(e.message),
  );
  assert.throws(
    () => evaluateCondition('{{ n }}', { n: 3 }, 'when', where, 'h1'),
    /must render to a boolean/,
  );
});
Conditions.run();

const Loops = suite('planTask() expands loops, skips by `when` and renders arguments per item');
Loops('one planned task per item, labelled with the item; when evaluated per item', () => {
  const spec = taskSpec('write', 'flag', {
    args: { path: '/tmp/{{ item }}', content: 'x' },
    loop: '{{ names }}',
    when: '{{#if (eq item "b")}}false{{else}}true{{/if}}',
  });
  const planned = planTask(spec, testModules, scope({ names: ['a', 'b'] }));
  assert.equal(
    planned.map((t) => [t.label, t.skipReason === undefined, t.args]),
    [
      ['write (a)', true, { path: '/tmp/a', content: 'x' }],
      ['write (b)', false, undefined],
    ],
  );
});
Loops('a loop that is not a list is an error at the task', () => {
  const spec = taskSpec('write', 'flag', { args: { path: '/x', content: 'x' }, loop: '{{ n }}' });
  assert.throws(
    () => planTask(spec, testModules, scope({ n: 1 })),
    /test\.yaml:1:1: h: task "write": "loop" must be a list/,
  );
});
Loops('changed_when: false makes a task never count as a change', () => {
  const spec = taskSpec('w', 'flag', { args: { path: '/x', content: 'x' }, changedWhen: 'false' });
  assert.is(planTask(spec, testModules, scope({}))[0]?.countsAsChange, false);
});
Loops.run();

const Exit = suite('exitCodeOf() ORs the flags');
Exit('table', () => {
  assert.is(exitCodeOf({ failedHosts: [], unreachableHosts: [], drift: false }), 0);
  assert.is(exitCodeOf({ failedHosts: ['a'], unreachableHosts: [], drift: false }), 2);
  assert.is(exitCodeOf({ failedHosts: [], unreachableHosts: ['a'], drift: true }), 12);
  assert.is(exitCodeOf({ failedHosts: ['a'], unreachableHosts: ['b'], drift: true }), 14);
});
Exit.run();

const Redact = suite('makeRedactor() masks secret values deep inside events');
Redact('names matching password/secretkey and listed secret_vars; short values left alone', () => {
  const secrets = secretValues({
    db_password: 'abc123',
    secretKey: 'sk-999',
    token: 'tok-1',
    secret_vars: ['token'],
    port: 'ab',
    adminPassword: 'x',
  });
  assert.equal(secrets.sort(), ['abc123', 'sk-999', 'tok-1']);
  const redact = makeRedactor(secrets);
  assert.equal(redact({ message: 'pw abc123 and tok-1', list: [{ after: 'sk-999' }], n: 1 }), {
    message: 'pw ******** and ********',
    list: [{ after: '********' }],
    n: 1,
  });
});
Redact.run();

const Recap = suite('formatRecap() prints one aligned line per host');
Recap('aligned names and all counters', () => {
  const text = formatRecap({
    a: { ok: 1, changed: 2, failed: 0, skipped: 3, unreachable: 0 },
    'long-host': { ok: 0, changed: 0, failed: 1, skipped: 0, unreachable: 1 },
  });
  assert.is(
    text,
    'PLAY RECAP\na         : ok=1    changed=2    unreachable=0    failed=0    skipped=3\nlong-host : ok=0    changed=0    unreachable=1    failed=1    skipped=0',
  );
});
Recap.run();

const Diff = suite('unifiedDiff() matches diff -u hunks');
Diff('one changed line with context, and an empty side numbered from 0', () => {
  assert.is(
    unifiedDiff({ path: 'f', before: 'a\nb\nc\n', after: 'a\nB\nc\n' }),
    '--- f (before)\n+++ f (after)\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c',
  );
  assert.is(
    unifiedDiff({ path: 'f', before: '', after: 'x\n' }),
    '--- f (before)\n+++ f (after)\n@@ -0,0 +1,1 @@\n+x',
  );
  assert.is(unifiedDiff({ path: 'f', before: 'same', after: 'same' }), '');
});
Diff.run();

const Options = suite('parseCliOptions() turns argv into RunOptions');
Options('defaults, --env, lists and repeatable -e', () => {
  const o = parseCliOptions(
    [
      'pb.yaml',
      '--env',
      'prod',
      '--tags',
      'a, b',
      '-e',
      'x=1',
      '-e',
      'y=2',
      '--forks',
      '3',
      '--check',
    ],
    '/root',
  );
  assert.equal(
    [o.run.inventory, o.run.tags, o.run.extraVars, o.run.forks, o.run.check, o.run.diff],
    ['/root/inventory/prod', ['a', 'b'], { x: '1', y: '2' }, 3, true, false],
  );
  assert.is(parseCliOptions(['pb.yaml'], '/root').run.inventory, '/root/inventory/local');
});
Options('usage errors name the problem', () => {
  const cases: Array<[string[], RegExp]> = [
    [['pb', '--nope'], /unknown option "--nope"/],
    [[], /missing PLAYBOOK/],
    [['pb', '--forks', '0'], /--forks "0"/],
    [['pb', '-i', 'x', '--env', 'y'], /not both/],
    [['pb', 'extra'], /unexpected argument "extra"/],
  ];
  for (const [argv, message] of cases)
    assert.throws(
      () => parseCliOptions(argv, '/root'),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      argv.join(' '),
    );
});
Options.run();

const Batches = suite('batches() and groupActions() split work');
Batches('serial batches and stdin-bound exec groups', () => {
  assert.equal(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.equal(batches([1, 2], undefined), [[1, 2]]);
  const a = { describe: 'a', script: 'a' };
  const s = { describe: 's', script: 's', stdin: 'x' };
  assert.equal(
    groupActions([a, s, a, s, a]).map((g) => g.map((x) => x.describe).join('')),
    ['asa', 'sa'],
  );
});
Batches.run();
