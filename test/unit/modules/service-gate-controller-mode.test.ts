// Controller mode's broker health gate (member-healthy) asked from the controller like the other modes, and, at its
// timeout, a group without master explained from the controllers' record (trap 2 of issue 11: stale metadata).
import { Buffer } from 'node:buffer';
import * as assert from 'uvu/assert';
import { suite } from '../../helpers/suite.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import type { ControllerGate } from '../../../lib/modules/service-gate-kinds.ts';
import { healthAction } from '../../../lib/modules/service-gates.ts';
import type { ServiceArgs } from '../../../lib/modules/service.ts';
import { modules } from '../../../lib/modules/index.ts';
import { planRun } from '../../../lib/run.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';
import { replayState } from '../rocketmq/remoting-health-states.ts';
import { replayServer } from '../rocketmq/remoting-recorded.ts';
import { vctx, where } from './process-helpers.ts';

const service = modules.get('service')!;
const ok = { code: 0, language: 'JAVA', version: 479, opaque: 0, flag: 1 };

function healthGate(health: Vars): ControllerGate {
  const args = service.validate(
    { name: 'rmq-broker-broker-a-1', command: ['java'], health, health_timeout: 1 },
    where,
    vctx,
  ) as ServiceArgs;
  assert.ok(typeof args.health === 'object', 'asked from the controller');
  return args.health as ControllerGate;
}

const H = suite(
  "member-healthy from the controller: BrokerHealth.java's verdicts, the member named by its address",
);
const CASES: Array<[state: string, addr: string, line: string]> = [
  ['up', 'MASTER', 'ok'],
  ['up', '127.0.0.1:30921', 'ok'],
  ['slave-lagging', '127.0.0.1:30921', 'broker-a:1 is not in sync with its master MASTER'],
  ['master-down', '127.0.0.1:30921', "broker-a's master broker-a:0 is not registered"],
  ['up', '127.0.0.1:30931', 'broker-a member at 127.0.0.1:30931 is not registered'],
];
for (const [state, addr, line] of CASES) {
  H(`${state}, ${addr}: ${line}`, async () => {
    const ns = await replayState(state);
    try {
      const at = (text: string): string => text.replace('MASTER', ns.addr);
      const gate = healthGate({
        rocketmq: 'member-healthy',
        namesrv: ns.addr,
        cluster: 'RemotingCluster',
        broker: 'broker-a',
        addr: at(addr),
      });
      assert.equal(await gate.check(), { ok: line === 'ok', line: at(line) });
      assert.is(gate.explain, undefined, 'no controllers given: nothing to explain with');
    } finally {
      await ns.close();
    }
  });
}

const STALE =
  '{"replicasInfoTable":{"broker-a":{"inSyncReplicas":[{"alive":false,"brokerAddress":"127.0.0.1:30911","brokerId":1,' +
  '"brokerName":"broker-a"}],"masterAddress":"","masterEpoch":3,"notInSyncReplicas":[{"alive":true,"brokerAddress":"127.0.0.1:30911",' +
  '"brokerId":3,"brokerName":"broker-a"}],"syncStateSetEpoch":4}}}';

H(
  'at the timeout, a group without master is explained: stale controller metadata and the command (the gate fails as before)',
  async () => {
    // The wiped member is fenced: the name servers do not list the group at all.
    const ns = await replayState('up', '{"brokerAddrTable":{},"clusterAddrTable":{}}');
    let leader = '';
    const controller = await replayServer((req) =>
      req.code === 1005
        ? {
            ...ok,
            extFields: {
              controllerLeaderAddress: leader,
              controllerLeaderId: 'n0',
              isLeader: 'true',
              group: 'g',
              peers: '',
            },
          }
        : { ...ok, body: Buffer.from(STALE) },
    );
    leader = controller.addr;
    try {
      const gate = healthGate({
        rocketmq: 'member-healthy',
        namesrv: ns.addr,
        cluster: 'RemotingCluster',
        broker: 'broker-a',
        addr: '127.0.0.1:30911',
        controllers: `127.0.0.1:1;${controller.addr}`,
        declared: [
          { broker: 'broker-a', addr: '127.0.0.1:30911' },
          { broker: 'broker-b', addr: 'x:1' },
        ],
      });
      const failure = await healthAction('rmq-broker-broker-a-0', gate, 1).run!().then(
        () => undefined,
        (e: unknown) => e as ActionFailure,
      );
      assert.instance(failure, ActionFailure);
      const message = failure!.message;
      assert.match(
        message,
        'rmq-broker-broker-a-0 is not healthy after 1 s: broker-a member at 127.0.0.1:30911 is not registered; stale controller metadata for broker-a:',
      );
      assert.match(message, 'the member at 127.0.0.1:30911 was id 1 and came back as id 3');
      assert.match(
        message,
        `\`mqadmin cleanBrokerMetadata -a ${controller.addr} -bn broker-a -c RemotingCluster\``,
      );
    } finally {
      await ns.close();
      await controller.close();
    }
  },
);
H("a group with a master is not explained (the gate's own line says what is missing)", async () => {
  const ns = await replayState('slave-lagging');
  try {
    const gate = healthGate({
      rocketmq: 'member-healthy',
      namesrv: ns.addr,
      broker: 'broker-a',
      addr: '127.0.0.1:30921',
      controllers: '127.0.0.1:1',
    });
    assert.is(await gate.explain!(), '');
  } finally {
    await ns.close();
  }
});

const R = suite(
  "the broker role in 2m2s-controller: health from the controller with the controllers and the group's members",
);
async function brokerHealth(extra: Vars): Promise<unknown> {
  const F = 'test/fixtures/inventories/';
  const extraVars = {
    ...parseExtraVars([`@${F}lab-connection.yaml`]),
    lab_prefix: '10.77.3',
    ...extra,
  };
  const planned = await planRun({
    playbook: 'playbooks/2m2s-controller.yaml',
    inventory: `${F}2m2s-controller`,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars,
    forks: 1,
  });
  const tasks = planned.phases
    .find((p) => p.spec.name === 'First replicas')!
    .plans.get('mq2')!.tasks;
  const run = tasks.find((t) => t.module.name === 'service')!;
  return (run.args as ServiceArgs).health;
}
R(
  'default: a controller gate naming broker-b by address, with an explanation at the timeout',
  async () => {
    const gate = (await brokerHealth({})) as ControllerGate;
    assert.is(
      gate.describe,
      'RocketMQ member-healthy broker-b 10.77.3.12:10911 (name servers 10.77.3.11:9876;10.77.3.12:9876;10.77.3.13:9876;10.77.3.14:9876)',
    );
    assert.type(gate.explain, 'function');
  },
);
R(
  'rocketmq_gates_via: host still asks BrokerHealth.java on the host, with the same words as before',
  async () => {
    const script = await brokerHealth({ rocketmq_gates_via: 'host' });
    assert.type(script, 'string');
    assert.match(
      script as string,
      "member-healthy --namesrv '10.77.3.11:9876;10.77.3.12:9876;10.77.3.13:9876;10.77.3.14:9876' --broker broker-b --addr 10.77.3.12:10911",
    );
  },
);
R.run();
H.run();
