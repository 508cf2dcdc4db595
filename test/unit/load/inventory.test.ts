// loadInventory(): Ansible YAML inventory shape, vars files, precedence with sources, and located errors.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, ValidationError } from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { FIXTURES, thrown, writeTree } from './tmp-tree.ts';

const DIR = join(FIXTURES, 'inventory');

const Shape = suite('loadInventory() reads groups, children and hosts to any depth');

Shape('hosts keep their first-appearance order; env is the folder name', () => {
  const inv = loadInventory(DIR);
  assert.equal([...inv.hosts.keys()], ['solo', 'ns1', 'mq1', 'mq2', 'mq3', 'mq4']);
  assert.is(inv.env, 'inventory');
});

Shape('a host lists every group it belongs to through children, "all" first', () => {
  const inv = loadInventory(DIR);
  assert.equal(inv.hosts.get('mq3')?.groups, ['all', 'brokers', 'zone_b', 'broker_b']);
  assert.equal(inv.hosts.get('solo')?.groups, ['all', 'ungrouped']);
  assert.equal(inv.groups.get('brokers')?.children, ['broker_a', 'broker_b']);
  assert.equal(inv.groups.get('ungrouped')?.hosts, ['solo']);
});

Shape.run();

const Precedence = suite(
  'loadInventory() merges vars: all < parent < child (same depth: ASCII) < host inline < host_vars',
);

// host, variable, winning value, file that set it, line
const WINNERS: Array<[string, string, unknown, string, number]> = [
  ['solo', 'level', 'all-file', 'group_vars/all.yaml', 1],
  ['ns1', 'level', 'nameservers', 'hosts.yaml', 13],
  ['ns1', 'from_all', 1, 'hosts.yaml', 4],
  ['mq1', 'level', 'inline', 'hosts.yaml', 22],
  ['mq1', 'port', 2, 'host_vars/mq1.yaml', 1],
  ['mq1', 'tier', 'broker_a', 'hosts.yaml', 26],
  ['mq1', 'y', 'b', 'group_vars/brokers/b.yaml', 1],
  ['mq1', 'x', 'a', 'group_vars/brokers/a.yaml', 1],
  ['mq2', 'level', 'host-file', 'host_vars/mq2.yaml', 1],
  ['mq3', 'level', 'zone_b', 'hosts.yaml', 35],
  ['mq3', 'tier', 'brokers', 'hosts.yaml', 17],
  ['mq4', 'level', 'brokers', 'hosts.yaml', 16],
  ['ns1', 'ansible_host', '10.0.0.1', 'hosts.yaml', 11],
];

Precedence('each host gets the winning value and the place that set it', () => {
  const inv = loadInventory(DIR);
  for (const [host, name, value, file, line] of WINNERS) {
    const h = inv.hosts.get(host)!;
    assert.equal(h.vars[name], value, `${host}.${name}`);
    assert.is(h.sources[name]?.file, join(DIR, file), `${host}.${name} file`);
    assert.is(h.sources[name]?.line, line, `${host}.${name} line`);
  }
});

Precedence.run();

const Errors = suite('loadInventory() rejects bad inventories with file:line:col');

const BAD: Array<
  [string, Record<string, string>, string, typeof ValidationError | typeof ConfigError]
> = [
  [
    'cycle',
    {
      'hosts.yaml':
        'all:\n  children:\n    a:\n      children:\n        b:\n    b:\n      children:\n        a:\n',
    },
    'hosts.yaml:8:9: cyclic group children: a → b → a',
    ValidationError,
  ],
  [
    'hosts as a list',
    { 'hosts.yaml': 'all:\n  hosts:\n    - mq1\n' },
    'hosts.yaml:3:5: "hosts" of group "all" must be a mapping',
    ValidationError,
  ],
  [
    'unknown group key',
    { 'hosts.yaml': 'all:\n  children:\n    brokers:\n      host:\n        mq1:\n' },
    'hosts.yaml:4:7: group "brokers": unknown key "host" (known: hosts, vars, children)',
    ValidationError,
  ],
  [
    'vars as a list',
    { 'hosts.yaml': 'all:\n  vars: [1]\n' },
    'hosts.yaml:2:9: "vars" of group "all" must be a mapping',
    ValidationError,
  ],
  [
    'host value scalar',
    { 'hosts.yaml': 'all:\n  hosts:\n    mq1: 5\n' },
    'hosts.yaml:3:10: host "mq1" (its value holds its variables) must be a mapping',
    ValidationError,
  ],
  [
    'group_vars of unknown group',
    { 'hosts.yaml': 'all:\n  hosts:\n    mq1:\n', 'group_vars/brokerz.yaml': 'a: 1\n' },
    'group_vars/brokerz.yaml:1:1: unknown group "brokerz" (groups: all, ungrouped)',
    ValidationError,
  ],
  [
    'host_vars of unknown host',
    { 'hosts.yaml': 'all:\n  hosts:\n    mq1:\n', 'host_vars/mq9/a.yaml': 'a: 1\n' },
    'host_vars/mq9/a.yaml:1:1: unknown host "mq9" (hosts: mq1)',
    ValidationError,
  ],
  [
    'group_vars not a mapping',
    { 'hosts.yaml': 'all:\n  hosts:\n    mq1:\n', 'group_vars/all.yaml': '- 1\n' },
    'group_vars/all.yaml:1:1: group_vars file must be a mapping',
    ValidationError,
  ],
  [
    'bad YAML in vars file',
    { 'hosts.yaml': 'all:\n  hosts:\n    mq1:\n', 'host_vars/mq1.yaml': 'a: 1\na: 2\n' },
    'host_vars/mq1.yaml:2:1: invalid YAML: duplicate key "a"',
    ConfigError,
  ],
  [
    'host named like a group',
    { 'hosts.yaml': 'all:\n  children:\n    mq1:\n      hosts:\n        mq1:\n' },
    'hosts.yaml:3:5: "mq1" is both a host and a group',
    ValidationError,
  ],
  [
    'top level a list',
    { 'hosts.yaml': '- all\n' },
    'hosts.yaml:1:1: an inventory must be a mapping of groups',
    ValidationError,
  ],
];

Errors('each broken inventory names the file, line, column and cause', () => {
  for (const [label, files, expected, type] of BAD) {
    const dir = writeTree(files);
    const err = thrown(() => loadInventory(dir));
    assert.instance(err, type, label);
    assert.ok(
      err.message.startsWith(join(dir, expected)),
      `${label}\nexpected: ${expected}\nactual:   ${err.message}`,
    );
  }
});

Errors('a folder without hosts.yaml says what to create', () => {
  const dir = writeTree({ README: 'x' });
  const err = thrown(() => loadInventory(dir));
  assert.instance(err, ConfigError);
  assert.match(err.message, `create ${join(dir, 'hosts.yaml')}`);
});

Errors.run();
