// loadPlaybook() and loadRole(): accepted shapes, role expansion, and located validation errors.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, ValidationError } from '../../../lib/shared/errors.ts';
import { loadPlaybook } from '../../../lib/load/playbook.ts';
import { loadRole } from '../../../lib/load/roles.ts';
import { FIXTURES, thrown, writeTree } from './tmp-tree.ts';

const rolesDir = join(FIXTURES, 'roles');
const modules = ['command', 'file', 'service', 'template'];
const opts = { rolesDir, modules };

const Shapes = suite('loadPlaybook() reads both playbook shapes');

Shapes('the mapping shape gives preflight checks, phases, role tasks first and typed keys', () => {
  const file = join(FIXTURES, 'playbooks/site.yaml');
  const book = loadPlaybook(file, opts);
  assert.is(book.name, 'site');
  assert.equal(book.preflight, [
    { check: 'topology', args: { strict: true }, where: { file, line: 3, col: 5 } },
  ]);
  const [web, ns] = book.phases;
  assert.is(web?.hosts, 'brokers:!mq4');
  assert.equal(web?.roles, [
    { name: 'web', vars: { app_port: 9090 }, where: { file, line: 9, col: 9 } },
  ]);
  assert.equal(
    web?.tasks.map((t) => [t.name, t.module, t.role ?? '']),
    [
      ['config', 'template', 'web'],
      ['data dir', 'file', ''],
      ['command echo hi', 'command', ''],
    ],
  );
  assert.equal(
    web?.handlers.map((t) => [t.name, t.role]),
    [['restart app', 'web']],
  );
  const [, dataDir, echo] = web!.tasks;
  assert.equal(
    [dataDir?.tags, dataDir?.when, dataDir?.become, dataDir?.where.line],
    [['setup'], '!skip_data', true, 12],
  );
  assert.equal(
    [echo?.args, echo?.changedWhen, echo?.loop],
    [{ cmd: 'echo hi' }, 'false', '{{ items }}'],
  );
  assert.equal([web?.serial, web?.forks, web?.maxFailPercentage], [1, 4, 20]);
  assert.is(ns?.name, 'nameservers');
  assert.equal(ns?.tasks[0]?.args, { path: '/x' });
});

Shapes('the list shape is a list of phases named after the file', () => {
  const book = loadPlaybook(join(FIXTURES, 'playbooks/list.yaml'), {
    rolesDir,
    modules: new Map(modules.map((m) => [m, {}])),
  });
  assert.is(book.name, 'list');
  assert.equal(book.preflight, []);
  assert.is(book.phases[0]?.tasks[0]?.notify[0], 'restart app');
  assert.equal(book.phases[0]?.vars, {});
});

Shapes.run();

const Errors = suite('loadPlaybook() rejects mistakes at file:line:col');

const ROLE_TASK = '- name: config\n  template: { src: a.hbs, dest: /a }\n  notify: restart app\n';
const BAD: Array<[string, string, string]> = [
  [
    'unknown module',
    '- hosts: all\n  tasks:\n    - name: start\n      servce:\n        name: x\n',
    'p.yaml:4:7: unknown module "servce" (known: command, file, service, template)',
  ],
  [
    'two modules',
    '- hosts: all\n  tasks:\n    - file: {path: /a}\n      command: ls\n',
    'p.yaml:4:7: task has two modules, "file" and "command"',
  ],
  [
    'unknown task key',
    '- hosts: all\n  tasks:\n    - file: {path: /a}\n      notfy: x\n',
    'p.yaml:4:7: task: unknown key "notfy"',
  ],
  [
    'no module',
    '- hosts: all\n  tasks:\n    - name: nothing\n',
    'p.yaml:3:7: task has no module; add one of: command, file, service, template',
  ],
  [
    'unknown phase key',
    '- hosts: all\n  task: []\n',
    'p.yaml:2:3: phase: unknown key "task" (known: name, hosts, roles',
  ],
  ['missing hosts', '- name: x\n  tasks: []\n', 'p.yaml:1:3: a phase needs "hosts:"'],
  [
    'tasks not a list',
    '- hosts: all\n  tasks:\n    file: {path: /a}\n',
    'p.yaml:3:5: "tasks" must be a list',
  ],
  [
    'args not a map',
    '- hosts: all\n  tasks:\n    - file: /a\n',
    'p.yaml:3:13: arguments of "file" must be a mapping (name: value lines), got string "/a"',
  ],
  [
    'become not bool',
    '- hosts: all\n  tasks:\n    - file: {path: /a}\n      become: sure\n',
    'p.yaml:4:15: "become" must be a boolean (true/false, yes/no',
  ],
  [
    'serial zero',
    '- hosts: all\n  serial: 0\n',
    'p.yaml:2:11: "serial" must be a whole number from 1',
  ],
  [
    'max_fail over 100',
    '- hosts: all\n  max_fail_percentage: 101\n',
    'p.yaml:2:24: "max_fail_percentage" must be a whole number from 0 to 100',
  ],
  [
    'unknown handler',
    '- hosts: all\n  tasks:\n    - file: {path: /a}\n      notify: [restart]\n',
    'p.yaml:4:15: task "file /a" notifies "restart", which is not a handler of phase "all" (handlers: none)',
  ],
  [
    'unknown role',
    '- hosts: all\n  roles: [wbe]\n',
    'p.yaml:2:11: unknown role "wbe" (known: empty-role, web',
  ],
  [
    'role without tasks',
    '- hosts: all\n  roles: [empty-role]\n',
    'p.yaml:2:11: role "empty-role" has no tasks: create',
  ],
  [
    'role listed twice',
    '- hosts: all\n  roles: [web, {role: web}]\n',
    'p.yaml:2:16: role "web" is listed twice',
  ],
  [
    'unknown top key',
    'name: x\nphase: []\n',
    'p.yaml:2:1: playbook: unknown key "phase" (known: name, preflight, optional_groups, phases)',
  ],
  ['no phases', 'name: x\n', 'p.yaml:1:1: the playbook has no phases'],
  [
    'preflight without check',
    'preflight:\n  - strict: true\nphases:\n  - hosts: all\n',
    'p.yaml:2:5: a preflight entry needs "check: <name>"',
  ],
  ['scalar playbook', 'hello\n', 'p.yaml:1:1: a playbook must be a list of phases'],
  [
    'when a list',
    '- hosts: all\n  tasks:\n    - file: {path: /a}\n      when: [a]\n',
    'p.yaml:4:13: "when" must be a string',
  ],
];

Errors('each broken playbook gives a ValidationError at the offending line:col', () => {
  for (const [label, text, expected] of BAD) {
    const dir = writeTree({ 'p.yaml': text });
    const err = thrown(() => loadPlaybook(join(dir, 'p.yaml'), opts));
    assert.instance(err, ValidationError, label);
    assert.ok(
      err.message.startsWith(join(dir, expected)),
      `${label}\nexpected: ${expected}\nactual:   ${err.message}`,
    );
  }
});

Errors('a role task with an unknown module points into the role file', () => {
  const dir = writeTree({
    'roles/r/tasks/main.yaml': '- name: x\n  copyy: {}\n',
    'p.yaml': '- hosts: all\n  roles: [r]\n',
  });
  const err = thrown(() =>
    loadPlaybook(join(dir, 'p.yaml'), { rolesDir: join(dir, 'roles'), modules }),
  );
  assert.ok(
    err.message.startsWith(join(dir, 'roles/r/tasks/main.yaml:2:3: unknown module "copyy"')),
    err.message,
  );
});

Errors('YAML syntax errors stay ConfigErrors', () => {
  const dir = writeTree({ 'p.yaml': '- hosts: all\n  hosts: web\n' });
  assert.instance(
    thrown(() => loadPlaybook(join(dir, 'p.yaml'), opts)),
    ConfigError,
  );
});

Errors.run();

const Role = suite('loadRole() reads tasks, handlers, defaults and folders');

Role('a role carries its defaults, role-tagged tasks and its folders', () => {
  const dir = writeTree({
    'roles/r/tasks/main.yml': ROLE_TASK,
    'roles/r/handlers/main.yaml': '- name: restart app\n  command: restart\n',
    'roles/r/defaults/main.yaml': 'a: 1\n',
  });
  const role = loadRole(join(dir, 'roles'), 'r', modules, { file: 'p.yaml', line: 1, col: 1 });
  assert.equal(role.defaults, { a: 1 });
  assert.equal(
    role.tasks.map((t) => [t.name, t.role, t.notify]),
    [['config', 'r', ['restart app']]],
  );
  assert.equal(role.handlers[0]?.args, { cmd: 'restart' });
  assert.is(role.templatesDir, join(dir, 'roles/r/templates'));
  assert.is(role.filesDir, join(dir, 'roles/r/files'));
});

Role('defaults that are not a mapping are rejected in their file', () => {
  const dir = writeTree({
    'roles/r/tasks/main.yaml': '[]\n',
    'roles/r/defaults/main.yaml': '- a\n',
  });
  const err = thrown(() =>
    loadRole(join(dir, 'roles'), 'r', modules, { file: 'p.yaml', line: 1, col: 1 }),
  );
  assert.ok(
    err.message.startsWith(
      join(dir, 'roles/r/defaults/main.yaml:1:1: role defaults must be a mapping'),
    ),
    err.message,
  );
});

Role.run();
