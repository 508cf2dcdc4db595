// Cluster-wide defaults live in one role, and the role templates render what the phases need for each shipped inventory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderString, renderValue } from '../../../lib/load/render.ts';
import { readYaml } from '../../../lib/load/yaml.ts';
import { parseProperties, formatProperties } from '../../../lib/shared/java-properties.ts';
import { ownDefaults, phaseVars, roleDefaults } from './phase-vars.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const D = suite('cluster-wide defaults live once, in roles/rocketmq-common');
D(
  'no role repeats a rocketmq-common default, and every RocketMQ role sees them through its meta dependency',
  () => {
    const roles = [
      'hosts-file',
      'hostname',
      'java',
      'rocketmq-install',
      'nameserver',
      'broker',
      'verify',
      'rocketmq-stop',
    ];
    const common = ownDefaults('rocketmq-common');
    for (const role of roles) {
      const repeated = Object.keys(ownDefaults(role)).filter((key) => key in common);
      assert.equal(
        repeated,
        [],
        `${role} repeats ${repeated.join(', ')}: keep it in roles/rocketmq-common only`,
      );
      assert.is(roleDefaults(role).rocketmq_home, common.rocketmq_home, role);
    }
  },
);
D.run();

const taskOf = (role: string, index: number): Vars =>
  (readYaml(`roles/${role}/tasks/main.yaml`).data as Vars[])[index]!;
const where = { file: 'test', line: 1, col: 1 };

const R = suite('role tasks render for the shipped inventories');
R('broker tasks keep only the instances of the phase and topology', () => {
  // The broker role's looped tasks all loop over broker_phase_instances (asserted below), labelled by instance.
  const run = (select: string, topology: string): string[] => {
    const vars = phaseVars('inventory/local', 'localhost', 'broker', {
      rocketmq_topology: topology,
      broker_select: select,
    });
    return (vars.broker_phase_instances as Vars[]).map((item) =>
      renderString('{{item.label}}', { ...vars, item }, where),
    );
  };
  const looped = (readYaml('roles/broker/tasks/main.yaml').data as Vars[]).filter(
    (t) => t.loop !== undefined,
  );
  assert.equal(
    looped.map((t) => [t.loop, t.loop_control]),
    [
      ['{{broker_phase_instances}}', { label: '{{item.label}}' }],
      ['{{broker_phase_instances}}', { label: '{{item.label}}' }],
    ],
  );
  assert.equal(run('master', 'single-master'), ['broker-a-0']);
  assert.equal(run('slave', 'single-master'), []);
  assert.equal(run('master', 'multi-master'), ['broker-a-0', 'broker-b-0']);
  assert.equal(run('master', '2m2s-sync'), ['broker-a-0', 'broker-b-0']);
  assert.equal(run('slave', '2m2s-async'), ['broker-a-1', 'broker-b-1']);
});
R('the hosts block maps every example-prod host and alias to its address', () => {
  const vars = phaseVars('inventory/example-prod', 'mqnameserver2', 'hosts-file');
  const block = renderString(
    String((taskOf('hosts-file', 0).blockinfile as Vars).block),
    vars,
    where,
  );
  assert.is(
    block,
    '192.168.0.11 mqnameserver1 broker-a\n192.168.0.14 mqnameserver2 broker-b\n192.168.0.16 mqnameserver3 broker-a-s\n192.168.0.17 mqnameserver4 broker-b-s\n',
  );
});
R('verify expects every broker of the topology with its address', () => {
  const args = taskOf('verify', 0).rocketmq_verify as Vars;
  const prod = phaseVars('inventory/example-prod', 'mqnameserver1', 'verify', {
    rocketmq_topology: '2m2s-async',
  });
  assert.equal(renderValue(args.expect, prod, where), [
    { broker: 'broker-a', id: 0, addr: '192.168.0.11:10911' },
    { broker: 'broker-b', id: 0, addr: '192.168.0.14:10911' },
    { broker: 'broker-a', id: 1, addr: '192.168.0.16:10911' },
    { broker: 'broker-b', id: 1, addr: '192.168.0.17:10911' },
  ]);
  assert.is(
    renderValue(args.namesrv, prod, where),
    '192.168.0.11:9876;192.168.0.14:9876;192.168.0.16:9876;192.168.0.17:9876',
  );
  const local = phaseVars('inventory/local', 'localhost', 'verify', {
    rocketmq_topology: 'multi-master',
  });
  assert.equal(renderValue(args.expect, local, where), [
    { broker: 'broker-a', id: 0, addr: '127.0.0.1:10911' },
    { broker: 'broker-b', id: 0, addr: '127.0.0.1:10921' },
  ]);
});
R.run();

const P = suite('parseProperties() reads what java.util.Properties reads');
const table: Array<[string, Array<[string, string]>]> = [
  [
    'a=1\nb = two words\n',
    [
      ['a', '1'],
      ['b', 'two words'],
    ],
  ],
  ['# comment\n! also\n\nkey:value', [['key', 'value']]],
  ['ip=10.0.0.5 #mine', [['ip', '10.0.0.5 #mine']]],
  ['flag=true ', [['flag', 'true ']]],
  ['long=a\\\n    b', [['long', 'ab']]],
  ['path=C\\:\\\\x', [['path', 'C:\\x']]],
];
for (const [text, expected] of table) {
  P(JSON.stringify(text), () =>
    assert.equal(
      parseProperties(text).map((e) => [e.key, e.value]),
      expected,
    ),
  );
}
P('formatProperties() output parses back to the same entries', () => {
  const entries: Array<[string, string]> = [
    ['a', ' lead'],
    ['b c', 'x\\y'],
    ['n', 'line\nbreak'],
  ];
  assert.equal(
    parseProperties(formatProperties(entries)).map((e) => [e.key, e.value]),
    entries,
  );
});
P.run();
