// rocketmq_namesrv_addr and rocketmq_expected_brokers: the inventory's name servers and brokers as templates see them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
// The RocketMQ plugin (template helpers, preflight checks) registers when the module registry loads: this file
// must not depend on another test file having loaded it first.
import '../../../lib/modules/index.ts';
import {
  expectedBrokers,
  namesrvAddr,
  runsInstance,
} from '../../../lib/rocketmq/topology-helpers.ts';
import { renderString } from '../../../lib/load/render.ts';

const hostvars = {
  mq1: { ansible_host: '10.0.0.1', broker_name: 'broker-a', broker_id: 0 },
  mq2: {
    ansible_host: '10.0.0.2',
    namesrv_port: 9877,
    broker_instances: [
      { broker_name: 'broker-b', broker_id: 0, listen_port: 10921 },
      { broker_name: 'broker-a', broker_id: 1, listen_port: 10931, topologies: ['2m2s-sync'] },
    ],
  },
  mq3: { broker_name: 'broker-c', broker_id: 0 },
};

const N = suite('namesrvAddr() joins address:port of each name server host');
N('per-host port, default port, host name when no ansible_host', () => {
  assert.is(
    namesrvAddr(hostvars, ['mq1', 'mq2', 'mq3'], 9876),
    '10.0.0.1:9876;10.0.0.2:9877;mq3:9876',
  );
  assert.is(namesrvAddr(hostvars, [], 9876), '');
  assert.is(namesrvAddr(hostvars, ['mq1'], undefined), '10.0.0.1:9876');
});
N.run();

const B = suite('expectedBrokers() lists the broker instances of a topology');
B('instances limited to other topologies are left out', () => {
  const table: Array<[string, string[]]> = [
    [
      '2m2s-sync',
      [
        'broker-a/0@10.0.0.1:10911',
        'broker-b/0@10.0.0.2:10921',
        'broker-a/1@10.0.0.2:10931',
        'broker-c/0@mq3:10911',
      ],
    ],
    [
      'multi-master',
      ['broker-a/0@10.0.0.1:10911', 'broker-b/0@10.0.0.2:10921', 'broker-c/0@mq3:10911'],
    ],
  ];
  for (const [topology, want] of table) {
    assert.equal(
      expectedBrokers(hostvars, ['mq1', 'mq2', 'mq3'], topology).map(
        (b) => `${b.broker}/${b.id}@${b.addr}`,
      ),
      want,
      topology,
    );
  }
});
B('registered as template helpers, usable in role defaults', () => {
  const where = { file: 't', line: 1, col: 1 };
  const vars = { hostvars, groups: { nameservers: ['mq1', 'mq2'] }, namesrv_port: 9876 };
  assert.is(
    renderString('{{rocketmq_namesrv_addr hostvars groups.nameservers namesrv_port}}', vars, where),
    '10.0.0.1:9876;10.0.0.2:9877',
  );
});
B.run();

const R = suite('runsInstance() picks the instances a broker phase runs');
R('by role (master = broker_id 0) and by topology', () => {
  const master = { broker_name: 'broker-a', broker_id: 0 };
  const slave = { broker_name: 'broker-a', broker_id: '1', topologies: ['2m2s-sync'] };
  const table: Array<[object, string, string, boolean]> = [
    [master, 'master', '2m2s-sync', true],
    [master, 'slave', '2m2s-sync', false],
    [master, 'all', 'single-master', true],
    [slave, 'slave', '2m2s-sync', true],
    [slave, 'master', '2m2s-sync', false],
    [slave, 'slave', 'multi-master', false],
    [slave, 'all', '', true],
  ];
  for (const [instance, select, topology, want] of table)
    assert.is(
      runsInstance(instance, select, topology),
      want,
      `${JSON.stringify(instance)} ${select} ${topology}`,
    );
});
R('usable in a task condition', () => {
  const where = { file: 't', line: 1, col: 1 };
  const vars = { item: { broker_id: 1 }, broker_select: 'slave', rocketmq_topology: '2m2s-async' };
  assert.is(
    renderString('{{rocketmq_runs_instance item broker_select rocketmq_topology}}', vars, where),
    'true',
  );
});
R.run();
