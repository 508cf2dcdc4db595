// loadRole() with meta/main.yaml dependencies: dependency defaults rank below the role's own, dependency tasks run first.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRole } from '../../../lib/load/roles.ts';
import { thrown, writeTree } from './tmp-tree.ts';

const where = { file: 'playbook.yaml', line: 3, col: 5 };
const task = (name: string): string => `- name: ${name}\n  command: { cmd: "true" }\n`;
const dir = writeTree({
  'common/defaults/main.yaml': 'shared: from-common\noverridden: from-common\n',
  'common/tasks/main.yaml': task('common task'),
  'app/meta/main.yaml': 'dependencies: [common]\n',
  'app/defaults/main.yaml': 'overridden: from-app\n',
  'app/tasks/main.yaml': task('app task'),
  'loop-a/meta/main.yaml': 'dependencies: [{ role: loop-b }]\n',
  'loop-a/tasks/main.yaml': '[]\n',
  'loop-b/meta/main.yaml': 'dependencies: [loop-a]\n',
  'loop-b/tasks/main.yaml': '[]\n',
  'bad/meta/main.yaml': 'dependencies: [missing-role]\n',
  'bad/tasks/main.yaml': '[]\n',
});

const S = suite('loadRole() applies meta dependencies like Ansible');

S('defaults: dependency first, the role own values win', () => {
  const role = loadRole(dir, 'app', ['command'], where);
  assert.equal(role.defaults, { shared: 'from-common', overridden: 'from-app' });
  assert.equal(
    role.tasks.map((t) => t.name),
    ['common task', 'app task'],
  );
});

S('a cycle and an unknown dependency are errors naming the roles', () => {
  assert.match(
    thrown(() => loadRole(dir, 'loop-a', ['command'], where)).message,
    'role dependency cycle: loop-a → loop-b → loop-a',
  );
  assert.match(
    thrown(() => loadRole(dir, 'bad', ['command'], where)).message,
    'unknown role "missing-role"',
  );
});

S.run();
