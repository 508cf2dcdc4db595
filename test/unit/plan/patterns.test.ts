// selectHosts(): Ansible host patterns over the fixture inventory, results in inventory order.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { selectHosts } from '../../../lib/plan/patterns.ts';
import { FIXTURES, thrown, writeTree } from '../load/tmp-tree.ts';

const inv = loadInventory(join(FIXTURES, 'inventory'));
const where = { file: 'site.yaml', line: 4, col: 12 };

const Select = suite('selectHosts() applies unions, then intersections, then exclusions');

const CASES: Array<[string, string[]]> = [
  ['all', ['solo', 'ns1', 'mq1', 'mq2', 'mq3', 'mq4']],
  ['*', ['solo', 'ns1', 'mq1', 'mq2', 'mq3', 'mq4']],
  ['brokers', ['mq1', 'mq2', 'mq3', 'mq4']],
  ['broker_b', ['mq3', 'mq4']],
  ['mq2', ['mq2']],
  ['mq4:ns1', ['ns1', 'mq4']],
  ['mq4,ns1', ['ns1', 'mq4']],
  ['mq?', ['mq1', 'mq2', 'mq3', 'mq4']],
  ['broker_*', ['mq1', 'mq2', 'mq3', 'mq4']],
  ['mq[13]', ['mq1', 'mq3']],
  ['brokers:&zone_b', ['mq3']],
  ['brokers:!zone_b', ['mq1', 'mq2', 'mq4']],
  ['!brokers', ['solo', 'ns1']],
  ['&broker_a', ['mq1', 'mq2']],
  ['!mq1:broker_a', ['mq2']],
  ['ungrouped', ['solo']],
  ['nameservers:&brokers', []],
];

Select('each pattern selects the expected hosts', () => {
  for (const [pattern, hosts] of CASES)
    assert.equal(selectHosts(inv, pattern, where), hosts, pattern);
});

Select.run();

const Unknown = suite("selectHosts() rejects a name that matches nothing, at the pattern's place");

const UNKNOWN: Array<[string, string]> = [
  [
    'brokerz',
    'site.yaml:4:12: unknown group or host "brokerz" in hosts pattern; did you mean brokers? (groups: nameservers, brokers, broker_a, broker_b, zone_b)',
  ],
  [
    'zzz',
    'site.yaml:4:12: unknown group or host "zzz" in hosts pattern (groups: nameservers, brokers, broker_a, broker_b, zone_b)',
  ],
  ['brokers:!mq9', 'site.yaml:4:12: unknown group or host "mq9" in hosts pattern'],
  ['web*', 'site.yaml:4:12: hosts pattern "web*" matches no group or host'],
  [' : ', 'site.yaml:4:12: empty hosts pattern'],
];

Unknown('each bad pattern gives a ValidationError naming the term', () => {
  for (const [pattern, expected] of UNKNOWN) {
    const err = thrown(() => selectHosts(inv, pattern, where));
    assert.instance(err, ValidationError, pattern);
    assert.ok(
      err.message.startsWith(expected),
      `${pattern}\nexpected: ${expected}\nactual:   ${err.message}`,
    );
  }
});

Unknown(
  'a group the playbook lists in optional_groups matches no host when the inventory lacks it; a typo still fails',
  () => {
    assert.equal(selectHosts(inv, 'controllers', where, ['controllers']), []);
    assert.equal(
      selectHosts(inv, 'nameservers:controllers', where, ['controllers']),
      selectHosts(inv, 'nameservers', where),
    );
    assert.equal(
      selectHosts(inv, 'brokers:!controllers', where, ['controllers']),
      selectHosts(inv, 'brokers', where),
    );
    assert.ok(
      thrown(() => selectHosts(inv, 'controllers', where)).message.includes(
        'unknown group or host "controllers"',
      ),
    );
    assert.ok(
      thrown(() => selectHosts(inv, 'controlers', where, ['controllers'])).message.includes(
        'unknown group or host "controlers"',
      ),
    );
  },
);

Unknown.run();

const Empty = suite('selectHosts() on an inventory without hosts says so, whatever the pattern');
for (const pattern of ['nameservers', 'all', 'brokers:!mq1']) {
  Empty(pattern, () => {
    const dir = writeTree({ 'hosts.yaml': 'all:\n  children:\n    brokers:\n' });
    const err = thrown(() => selectHosts(loadInventory(dir), pattern, where));
    assert.instance(err, ValidationError);
    assert.ok(
      err.message.startsWith(`site.yaml:4:12: the inventory ${dir} has no hosts; add them`),
      err.message,
    );
  });
}
Empty.run();
