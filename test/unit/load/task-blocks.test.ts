// `block:` in role task files: tasks share when/loop/tags/become; bad blocks are errors at file:line:col.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { planTask } from '../../../lib/plan/planner-task.ts';
import { loadRole } from '../../../lib/load/roles.ts';
import type { TaskSpec } from '../../../lib/shared/types.ts';
import { testModules } from '../../helpers/runner-fixtures.ts';
import { thrown, writeTree } from './tmp-tree.ts';

const modules = ['flag', 'file', 'command'];
const at = { file: 'p.yaml', line: 1, col: 1 };

/** Loads role "r" whose tasks/main.yaml is `tasks`; returns its tasks and the file's path. */
function roleTasks(tasks: string): { tasks: TaskSpec[]; file: string } {
  const dir = writeTree({ 'roles/r/tasks/main.yaml': tasks });
  return {
    tasks: loadRole(join(dir, 'roles'), 'r', modules, at).tasks,
    file: join(dir, 'roles/r/tasks/main.yaml'),
  };
}

const BLOCK = `- name: before
  flag: { path: /a, content: a }
- name: Per instance
  when: "{{not gated}}"
  loop: "{{instances}}"
  loop_control: { label: "{{item.name}}" }
  tags: [config]
  become: true
  block:
    - name: store
      flag: { path: "/s/{{item.name}}", content: s }
    - name: conf
      when: item.on
      tags: [conf]
      become: false
      flag: { path: "/c/{{item.name}}", content: c }
    - block:
        - name: nested
          flag: { path: "/n/{{item.name}}", content: n }
      when: deep
`;

const Load = suite('a block gives its tasks its when, loop, tags and become');
Load('tasks keep their own names and places; block keys are added to each', () => {
  const { tasks, file } = roleTasks(BLOCK);
  assert.equal(
    tasks.map((t) => [t.name, t.where.line, t.tags, t.become, t.loop, t.loopLabel]),
    [
      ['before', 1, [], undefined, undefined, undefined],
      ['store', 10, ['config'], true, '{{instances}}', '{{item.name}}'],
      ['conf', 12, ['config', 'conf'], false, '{{instances}}', '{{item.name}}'],
      ['nested', 18, ['config'], true, '{{instances}}', '{{item.name}}'],
    ],
  );
  assert.equal(
    tasks.map((t) => [t.when, t.blockWhen?.map((c) => `${c.text}@${c.where.line}:${c.where.col}`)]),
    [
      [undefined, undefined],
      [undefined, ['{{not gated}}@4:9']],
      ['item.on', ['{{not gated}}@4:9']],
      [undefined, ['{{not gated}}@4:9', 'deep@20:13']],
    ],
  );
  assert.ok(tasks.every((t) => t.where.file === file && t.role === 'r'));
});
Load.run();

const Bad = suite('a bad block is an error at file:line:col saying what to do');
const BAD: Array<[string, string, RegExp]> = [
  [
    'unknown key with a suggestion',
    '- lop: [1]\n  block:\n    - flag: {}\n',
    /:1:3: block: unknown key "lop" \(block keys: .*\); did you mean loop\?$/,
  ],
  [
    'a module on the block',
    '- block:\n    - flag: {}\n  file: { path: /x }\n',
    /:3:3: block: "file" is a module; a block holds only tasks, under "block:"/,
  ],
  [
    'no tasks',
    '- name: empty\n  block: []\n',
    /:2:3: block has no tasks; list them under "block:"/,
  ],
  ['nothing under block', '- name: empty\n  block:\n', /:2:3: block has no tasks/],
  [
    'a task loop in a looping block',
    '- loop: [1, 2]\n  block:\n    - flag: {}\n      loop: [3]\n',
    /:4:7: "loop" inside a block that loops \(its loop is at .*main\.yaml:1:3\): .*move this task out of the block, or drop one of the two loops/,
  ],
  [
    'a nested block loop in a looping block',
    '- loop: [1]\n  block:\n    - loop: [2]\n      block:\n        - flag: {}\n',
    /:3:7: "loop" inside a block that loops/,
  ],
  [
    'loop_control without loop',
    '- loop_control: { label: x }\n  block:\n    - flag: {}\n',
    /:1:3: "loop_control" needs a "loop" on the same block/,
  ],
  [
    'unknown key in a task inside a block',
    '- block:\n    - flag: {}\n      whn: x\n',
    /:3:7: task: unknown key "whn"/,
  ],
];
Bad('table', () => {
  for (const [what, text, expected] of BAD) {
    const err = thrown(() => roleTasks(text));
    assert.instance(err, ValidationError, what);
    assert.match(err.message, /roles\/r\/tasks\/main\.yaml:\d+:\d+: /, what);
    assert.match(err.message, expected, `${what}: ${err.message}`);
  }
});
Bad.run();

/** A host's scope for planTask(): no role folders, no loaded files, a fresh template cache. */
const scope = (vars: Record<string, unknown>) => ({
  host: 'h',
  vars,
  folders: { playbookDir: '.' },
  files: new Map(),
  templates: new Map(),
});

const Plan = suite("planTask(): a block's when false skips all its tasks, true runs them");
Plan("per host and item, with the task's own when ANDed after the block's", () => {
  const { tasks } = roleTasks(BLOCK);
  const instances = [
    { name: 'a', on: true },
    { name: 'b', on: false },
  ];
  const plan = (vars: Record<string, unknown>) =>
    tasks
      .flatMap((t) => planTask(t, testModules, scope({ instances, ...vars })))
      .map((p) => `${p.label}:${p.skipReason === undefined ? 'run' : p.skipReason}`);
  assert.equal(plan({ gated: true, deep: true }), [
    'before:run',
    'store (a):condition "{{not gated}}" is false',
    'store (b):condition "{{not gated}}" is false',
    'conf (a):condition "{{not gated}}" is false',
    'conf (b):condition "{{not gated}}" is false',
    'nested (a):condition "{{not gated}}" is false',
    'nested (b):condition "{{not gated}}" is false',
  ]);
  assert.equal(plan({ gated: false, deep: true }), [
    'before:run',
    'store (a):run',
    'store (b):run',
    'conf (a):run',
    'conf (b):condition "item.on" is false',
    'nested (a):run',
    'nested (b):run',
  ]);
  assert.equal(plan({ gated: false, deep: false }).slice(-2), [
    'nested (a):condition "deep" is false',
    'nested (b):condition "deep" is false',
  ]);
});
Plan("a block condition on an undefined variable is an error at the block's when", () => {
  const { tasks, file } = roleTasks(
    '- when: missing\n  block:\n    - flag: { path: /x, content: x }\n',
  );
  const err = thrown(() => planTask(tasks[0]!, testModules, scope({})));
  assert.match(err.message, `${file}:1:9: h: "when: missing" uses variable "missing"`);
});
Plan.run();
