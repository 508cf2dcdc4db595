// hostVars().hostvars: other hosts' vars read resolved ({{ }} and -e applied), as the hosts-file and verify roles need.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { writeTree } from './tmp-tree.ts';

const dir = writeTree({
  'hosts.yaml': [
    'all:',
    '  vars: { lab_prefix: 10.77.0 }',
    '  hosts:',
    '    mq1: { ansible_host: "{{lab_prefix}}.11" }',
    '    mq2: { ansible_host: "{{lab_prefix}}.12", store: "{{undefined_role_default}}/x" }',
  ].join('\n'),
});
const inv = loadInventory(dir);
const others = (extraVars: Vars): Record<string, Vars> =>
  hostVars(varScope(inv, extraVars), 'mq1').hostvars as Record<string, Vars>;

const S = suite(
  'hostVars() gives hostvars resolved with -e, raw when a host cannot be resolved alone',
);

S('a {{ }} address of another host reads as the address; -e wins over the inventory', () => {
  const cases: Array<[Vars, string, string]> = [
    [{}, 'mq1', '10.77.0.11'],
    [{ lab_prefix: '10.77.1' }, 'mq1', '10.77.1.11'],
  ];
  for (const [extra, host, address] of cases)
    assert.is(others(extra)[host]?.ansible_host, address, JSON.stringify(extra));
});

S('a host referring to a variable only a role defines is seen raw instead of failing', () => {
  assert.is(others({}).mq2?.store, '{{undefined_role_default}}/x');
  assert.is(others({}).mq2?.ansible_host, '{{lab_prefix}}.12');
});

S("one run's variable scope gives every host the same hostvars (resolved once per run)", () => {
  const scope = varScope(inv, { lab_prefix: '10.77.2' });
  const seen = hostVars(scope, 'mq1').hostvars as Record<string, Vars>;
  assert.is(hostVars(scope, 'mq2').hostvars, seen);
  assert.equal(Object.keys(seen), ['mq1', 'mq2']);
  assert.is(seen.mq1, seen.mq1, 'a host is resolved once, then the same object');
  assert.is(seen.mq1?.ansible_host, '10.77.2.11');
});

S.run();
