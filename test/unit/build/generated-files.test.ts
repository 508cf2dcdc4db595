// Generated files stay generated: schemas/*.schema.json, the `$schema` lines and docs/modules.md match what
// `npm run schemas` makes from lib/, and the JSON Schemas accept every shipped example and refuse mistakes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { z } from 'zod';
import { generatedFiles } from '../../../build/generated-files.ts';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
const generated = generatedFiles(ROOT);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const schemaOf = (name: string) =>
  z.fromJSONSchema(JSON.parse(generated.get(`schemas/${name}.schema.json`)!));

const Fresh = suite('npm run schemas has been run');

Fresh('every generated file is as the schemas in lib/ make it', () => {
  const stale = [...generated].filter(([file, text]) => {
    try {
      return read(file) !== text;
    } catch {
      return true;
    }
  });
  assert.equal(
    stale.map(([file]) => file),
    [],
    'stale: run `npm run schemas` and commit what it writes',
  );
});

Fresh('the examples and every role file name their schema on their first line', () => {
  const first = (file: string) => read(file).split('\n')[0];
  assert.is(
    first('playbooks/2m2s-sync.yaml'),
    '# yaml-language-server: $schema=../schemas/playbook.schema.json',
  );
  assert.is(
    first('inventory/local/hosts.yaml'),
    '# yaml-language-server: $schema=../../schemas/inventory.schema.json',
  );
  assert.is(
    first('roles/broker/tasks/main.yaml'),
    '# yaml-language-server: $schema=../../../schemas/tasks.schema.json',
  );
  assert.is(
    first('roles/broker/defaults/main.yaml'),
    '# yaml-language-server: $schema=../../../schemas/role-defaults.schema.json',
  );
  assert.is(
    first('roles/broker/meta/main.yaml'),
    '# yaml-language-server: $schema=../../../schemas/role-meta.schema.json',
  );
  assert.ok(generated.get('docs/modules.md')!.includes('| `file` | `path` (an absolute path)'));
});

Fresh.run();

const Editors = suite('the JSON Schemas judge YAML as the loader does');

Editors('every shipped playbook, inventory and role file is accepted', () => {
  const check = (schema: string, file: string) => {
    if (!existsSync(join(ROOT, file))) return;
    const empty = schema === 'tasks' ? [] : {};
    const result = schemaOf(schema).safeParse(parse(read(file)) ?? empty);
    assert.ok(result.success, `${file}: ${JSON.stringify(result.error?.issues[0])}`);
  };
  for (const name of readdirSync(join(ROOT, 'playbooks'))) check('playbook', `playbooks/${name}`);
  for (const env of ['local', 'example-prod']) check('inventory', `inventory/${env}/hosts.yaml`);
  for (const role of readdirSync(join(ROOT, 'roles'))) {
    check('tasks', `roles/${role}/tasks/main.yaml`);
    check('role-defaults', `roles/${role}/defaults/main.yaml`);
    check('role-meta', `roles/${role}/meta/main.yaml`);
  }
});

Editors('mistakes the loader refuses are refused, templated module arguments are not', () => {
  const playbook = schemaOf('playbook');
  const phase = (task: unknown) => [{ hosts: 'all', tasks: [task] }];
  assert.ok(playbook.safeParse(phase({ file: { path: '/a', mode: '{{ m }}' } })).success);
  assert.ok(playbook.safeParse(phase({ block: [{ command: 'ls' }], when: 'x' })).success);
  assert.not.ok(playbook.safeParse(phase({ file: { path: '/a' }, notfy: 'x' })).success);
  assert.not.ok(playbook.safeParse(phase({ file: { path: '/a', state: 'link' } })).success);
  assert.not.ok(playbook.safeParse(phase({ wait_for: { port: 70000 } })).success);
  assert.not.ok(playbook.safeParse([{ hosts: 'all', serial: 0 }]).success);
  assert.not.ok(schemaOf('inventory').safeParse({ all: { host: {} } }).success);
  // Service gate maps: each registered kind's fields, a template at any depth.
  const gate = (guard: unknown) => phase({ service: { name: 'x', command: ['x'], guard } });
  const inSync = { rocketmq: 'in-sync', namesrv: 'a:9876', broker: 'b' };
  assert.ok(playbook.safeParse(gate({ ...inSync, id: '{{item.broker_id}}' })).success);
  assert.ok(playbook.safeParse(gate(['test', '-f', '/tmp/ok'])).success);
  assert.not.ok(playbook.safeParse(gate({ ...inSync, id: 'one' })).success);
  assert.not.ok(playbook.safeParse(gate({ ...inSync, rocketmq: 'in-snyc' })).success);
  assert.not.ok(playbook.safeParse(gate({ rocketmq_store: '/s', version: '5', x: 1 })).success);
});

Editors.run();
