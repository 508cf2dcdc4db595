// broker_state: absent (scale in): the instance leaves the broker phases, the topics and the verify, is listed for
// the broker-retire role, and no longer counts towards the topology (its ports still do until it is stopped).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { retiredInstances } from '../../../lib/rocketmq/retired-instances.ts';
import { expectedBrokers, runsInstance } from '../../../lib/rocketmq/topology-helpers.ts';
import { topicMembers } from '../../../lib/rocketmq/topics-members.ts';
import { brokerInstances } from '../../../lib/rocketmq/broker-instances.ts';
import { checkTopology } from '../../../lib/rocketmq/topology-check.ts';

const hostvars = {
  mq1: { ansible_host: '10.0.0.1', broker_name: 'broker-a', broker_id: 0 },
  mq2: { ansible_host: '10.0.0.2', broker_name: 'broker-a', broker_id: 1 },
  mq3: { ansible_host: '10.0.0.3', broker_name: 'broker-b', broker_id: 0 },
  mq4: { ansible_host: '10.0.0.4', broker_name: 'broker-b', broker_id: 1 },
  // The whole group broker-c is removed: the host's broker_state, and an instance's own key with purge.
  mq5: { ansible_host: '10.0.0.5', broker_name: 'broker-c', broker_id: 0, broker_state: 'absent' },
  mq6: {
    ansible_host: '10.0.0.6',
    broker_instances: [
      { broker_name: 'broker-c', broker_id: 1, broker_state: 'absent', broker_purge: true },
    ],
  },
};
const hosts = Object.keys(hostvars);
const all = () => hosts.flatMap((h) => brokerInstances(h, hostvars[h as keyof typeof hostvars]));

const S = suite('broker_state absent takes an instance out of the running cluster');
S("runsInstance(): the broker phases skip it, by its own key or the host's", () => {
  const table: Array<[unknown, unknown, boolean]> = [
    [{ broker_name: 'b', broker_id: 0 }, undefined, true],
    [{ broker_name: 'b', broker_id: 0 }, 'absent', false],
    [{ broker_name: 'b', broker_id: 0, broker_state: 'absent' }, 'present', false],
    [{ broker_name: 'b', broker_id: 0, broker_state: 'present' }, 'absent', true],
  ];
  for (const [instance, hostState, want] of table) {
    assert.is(
      runsInstance(instance, 'all', '2m2s-sync', hostState),
      want,
      JSON.stringify([instance, hostState]),
    );
  }
});
S('expectedBrokers() and topicMembers(): neither verified nor given topics', () => {
  assert.equal(
    expectedBrokers(hostvars, hosts, '2m2s-sync').map((b) => `${b.broker}-${b.id}`),
    ['broker-a-0', 'broker-a-1', 'broker-b-0', 'broker-b-1'],
  );
  assert.equal(
    topicMembers(hostvars, hosts, '2m2s-sync').map((b) => `${b.broker}-${b.id}`),
    ['broker-a-0', 'broker-a-1', 'broker-b-0', 'broker-b-1'],
  );
});
S("retiredInstances(): each host's removed instances, master flagged, purge per instance", () => {
  assert.equal(retiredInstances(hostvars, 'mq1', '2m2s-sync'), []);
  assert.equal(
    retiredInstances(hostvars, 'mq5', '2m2s-sync').map((i) => [
      i.broker_name,
      i.broker_id,
      i.master,
      i.addr,
      i.purge,
    ]),
    [['broker-c', 0, true, '10.0.0.5:10911', false]],
  );
  assert.equal(
    retiredInstances(hostvars, 'mq6', '2m2s-sync').map((i) => [i.master, i.addr, i.purge, i.store]),
    [[false, '10.0.0.6:10911', true, '/var/lib/rocketmq/broker-c-1/store']],
  );
});
S(
  'checkTopology(): a removed group does not count; a master removed without its slave is an error',
  () => {
    assert.equal(checkTopology('2m2s-sync', all(), new Map()).errors, []);
    const half = all().map((i) => (i.host === 'mq6' ? { ...i, state: 'present' as const } : i));
    assert.match(
      checkTopology('2m2s-sync', half, new Map()).errors.join('\n'),
      /slave broker-c-1 on host mq6 has broker_name broker-c, which has no master/,
    );
    const controller = checkTopology('2m2s-controller', all(), new Map()).errors.join('\n');
    assert.match(controller, /broker_state absent, which controller mode does not support yet/);
  },
);
S('a broker_state other than present/absent is refused where it is declared', () => {
  assert.throws(
    () => brokerInstances('mq9', { broker_name: 'x', broker_state: 'gone' }),
    /host mq9: "broker_state" must be present or absent, got "gone"/,
  );
  assert.throws(
    () => brokerInstances('mq9', { broker_name: 'x', broker_purge: 'maybe' }),
    /"broker_purge" must be true or false/,
  );
});
S.run();
