// broker_phase_instances: the instances one broker phase works on, with the names and paths its tasks use.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { phaseInstances } from '../../../lib/rocketmq/broker-phase.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { phaseVars } from './phase-vars.ts';

const layout = {
  conf_dir: '/etc/rmq',
  data_root: '/data',
  log_root: '/log',
  run_dir: '/run/rmq',
  heap: '256m',
  direct_memory: '128m',
};
const A0 = { broker_name: 'broker-a', broker_id: 0 };
const A1 = {
  broker_name: 'broker-a',
  broker_id: 1,
  listen_port: 10921,
  store_path_root_dir: '/ssd/a1',
  heap: '1g',
  topologies: ['2m2s-sync'],
};
const GONE = { broker_name: 'broker-c', broker_id: 0, broker_state: 'absent' };

const S = suite("phaseInstances() keeps the phase's instances and names their paths once");
S('names and paths of an instance, defaults filled in', () => {
  assert.equal(phaseInstances([A0], 'all', '2m2s-sync', 'present', layout), [
    {
      ...A0,
      label: 'broker-a-0',
      port: 10911,
      service: 'rmq-broker-broker-a-0',
      conf_file: '/etc/rmq/broker-broker-a-0.properties',
      store_dir: '/data/broker-a-0/store',
      log_home: '/log/broker-broker-a-0',
      pidfile: '/run/rmq/rmq-broker-broker-a-0.pid',
      heap: '256m',
      direct_memory: '128m',
    },
  ]);
  const [a1] = phaseInstances([A1], 'all', '2m2s-sync', 'present', layout);
  assert.equal(
    [a1?.port, a1?.store_dir, a1?.heap, a1?.direct_memory],
    [10921, '/ssd/a1', '1g', '128m'],
  );
});
S('table: select, topology and broker_state choose the instances (labels)', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['all', '2m2s-sync', 'present', ['broker-a-0', 'broker-a-1']],
    ['master', '2m2s-sync', 'present', ['broker-a-0']],
    ['slave', '2m2s-sync', 'present', ['broker-a-1']],
    ['all', 'multi-master', 'present', ['broker-a-0']],
    ['all', '2m2s-sync', 'absent', []],
  ];
  for (const [select, topology, state, labels] of cases) {
    const got = phaseInstances([A0, A1, GONE], select, topology, state, layout).map((i) => i.label);
    assert.equal(got, labels, JSON.stringify([select, topology, state]));
  }
});
S("the role variable renders from the role's folders for a shipped inventory", () => {
  const vars = phaseVars('inventory/local', 'localhost', 'broker', {
    rocketmq_topology: '2m2s-sync',
    broker_select: 'slave',
  });
  const items = vars.broker_phase_instances as Vars[];
  assert.equal(
    items.map((i) => [i.label, i.conf_file, i.port]),
    [
      [
        'broker-a-1',
        `${vars.rocketmq_conf_dir}/broker-broker-a-1.properties`,
        items[0]?.listen_port,
      ],
      [
        'broker-b-1',
        `${vars.rocketmq_conf_dir}/broker-broker-b-1.properties`,
        items[1]?.listen_port,
      ],
    ],
  );
});
S.run();
