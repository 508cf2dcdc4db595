// broker_lint: each bad broker value (as data) → the exact message naming host, variable, file and fix.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { lintEntries, lintInstance, valueProblem } from '../../../lib/rocketmq/broker-lint.ts';
import { localKnownKeys } from '../../../lib/rocketmq/broker-lint-keys.ts';
import { brokerInstances } from '../../../lib/rocketmq/broker-instances.ts';
import { rocketmqPreflightChecks as preflightChecks } from '../../../lib/rocketmq/preflight-checks.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const at = (v: string) => ` (set in inventory/prod/group_vars/brokers.yaml:${v.length}:3)`;
const lint = (vars: Vars, translate = false) => {
  const [instance] = brokerInstances('mq1', { broker_name: 'broker-a', broker_id: 0, ...vars });
  return lintInstance(
    lintEntries(instance!, vars, at),
    localKnownKeys(),
    translate,
    'host mq1 broker broker-a-0',
  );
};

const cases: Array<[string, Vars, string[]]> = [
  [
    'a legacy renamed key',
    { broker_properties: { mapedFileSizeCommitLog: 1073741824 } },
    [
      'host mq1 broker broker-a-0: broker_properties.mapedFileSizeCommitLog (set in inventory/prod/group_vars/brokers.yaml:17:3): mapedFileSizeCommitLog is a legacy key that RocketMQ 5 silently ignores; use mappedFileSizeCommitLog',
    ],
  ],
  [
    'a legacy path key',
    { broker_properties: { storePathConsumeQueue: '/x' } },
    [
      'host mq1 broker broker-a-0: broker_properties.storePathConsumeQueue (set in inventory/prod/group_vars/brokers.yaml:17:3): storePathConsumeQueue is a legacy key that RocketMQ 5 silently ignores; remove it: RocketMQ derives that path from storePathRootDir',
    ],
  ],
  [
    'an unknown key with a near spelling',
    { broker_properties: { SendMessageThreadPoolNums: 8 } },
    [
      'host mq1 broker broker-a-0: broker_properties.SendMessageThreadPoolNums (set in inventory/prod/group_vars/brokers.yaml:17:3): unknown broker key SendMessageThreadPoolNums, which RocketMQ would silently ignore; did you mean sendMessageThreadPoolNums?',
    ],
  ],
  [
    'a wrong-case role in an instance',
    { broker_instances: [{ broker_name: 'broker-a', broker_id: 0, broker_role: 'sync_master' }] },
    [
      'host mq1 broker broker-a-0: broker_instances[0].broker_role: brokerRole: value "sync_master" has the wrong case (RocketMQ ignores it and keeps its default); write SYNC_MASTER',
    ],
  ],
  [
    'a trailing space in a variable',
    { broker_flush_disk_type: 'ASYNC_FLUSH ' },
    [
      'host mq1 broker broker-a-0: broker_flush_disk_type (set in inventory/prod/group_vars/brokers.yaml:22:3): flushDiskType: value "ASYNC_FLUSH " has leading or trailing spaces, which RocketMQ keeps and then fails to parse (the setting is silently dropped); remove them',
    ],
  ],
  [
    'an inline comment in an instance property',
    {
      broker_instances: [
        { broker_name: 'broker-a', broker_id: 0, properties: { bindAddress: '10.0.0.5 #my ip' } },
      ],
    },
    [
      'host mq1 broker broker-a-0: broker_instances[0].properties.bindAddress: bindAddress: value "10.0.0.5 #my ip" holds an inline "#" comment, which .properties files treat as part of the value; move the comment to its own line',
    ],
  ],
  [
    'a non-numeric number',
    { broker_file_reserved_time: '72h' },
    [
      'host mq1 broker broker-a-0: broker_file_reserved_time (set in inventory/prod/group_vars/brokers.yaml:25:3): fileReservedTime: value "72h" is not a whole number',
    ],
  ],
  [
    'a boolean that is not true/false',
    { broker_auto_create_topic_enable: 'yes' },
    [
      'host mq1 broker broker-a-0: broker_auto_create_topic_enable (set in inventory/prod/group_vars/brokers.yaml:31:3): autoCreateTopicEnable: value "yes" must be true or false',
    ],
  ],
];

const L = suite(
  'lintInstance() rejects a value RocketMQ would ignore or misread, naming the variable and file',
);
for (const [what, vars, expected] of cases)
  L(what, () => assert.equal(lint(vars).errors, expected));
L('clean seed values pass', () =>
  assert.equal(
    lint({
      broker_flush_disk_type: 'SYNC_FLUSH',
      broker_properties: { sendMessageThreadPoolNums: 16 },
    }),
    {
      errors: [],
      warnings: [],
      translated: new Map([
        ['flushDiskType', 'SYNC_FLUSH'],
        ['sendMessageThreadPoolNums', '16'],
      ]),
    },
  ),
);
L.run();

const T = suite(
  'lintInstance() translates legacy keys with a warning when broker_lint_translate is on',
);
T('renamed keys are translated, path keys dropped', () => {
  const result = lint(
    { broker_properties: { mapedFileSizeConsumeQueue: 6000000, abortFile: '/x' } },
    true,
  );
  assert.equal(result.errors, []);
  assert.equal(result.translated, new Map([['mappedFileSizeConsumeQueue', '6000000']]));
  assert.is(result.warnings.length, 3);
  assert.match(result.warnings[0]!, 'translated to mappedFileSizeConsumeQueue');
  // The translated key is one the role emits too: the operator should set the variable instead.
  assert.match(
    result.warnings[1]!,
    'mappedFileSizeConsumeQueue is emitted by the broker role too and this later line wins; prefer broker_mapped_file_size_consume_queue',
  );
  assert.match(
    result.warnings[2]!,
    'remove it: RocketMQ derives that path from storePathRootDir (dropped)',
  );
});
T.run();

const V = suite('valueProblem() is silent for well-formed values');
V('numbers, booleans, enums and text', () => {
  for (const [key, value] of [
    ['listenPort', 10911],
    ['messageIndexSafe', false],
    ['brokerRole', 'SLAVE'],
    ['deleteWhen', '04;16'],
    ['namesrvAddr', 'a:9876;b:9876'],
  ] as const) {
    assert.is(valueProblem(key, value), undefined, `${key}=${value}`);
  }
});
V.run();

const P = suite('preflightChecks.broker_lint() over an inventory names the inventory file');
P('the shipped inventories are clean; a bad group var fails with its file:line:col', () => {
  for (const dir of ['inventory/local', 'inventory/example-prod']) {
    const inventory = loadInventory(dir);
    const hosts = new Map([...inventory.hosts].map(([n, h]) => [n, h.vars]));
    assert.equal(
      preflightChecks.broker_lint!({
        inventory,
        hosts,
        args: {},
        where: { file: 'p.yaml', line: 1, col: 1 },
      }),
      [],
    );
  }
  const inventory = loadInventory('inventory/example-prod');
  const hosts = new Map(
    [...inventory.hosts].map(([n, h]) => [
      n,
      { ...h.vars, broker_properties: { mapedFileSizeCommitLog: 1 } },
    ]),
  );
  inventory.hosts.get('mqnameserver1')!.sources.broker_properties = {
    file: 'inventory/example-prod/group_vars/brokers.yaml',
    line: 4,
    col: 1,
  };
  assert.throws(
    () =>
      preflightChecks.broker_lint!({
        inventory,
        hosts,
        args: {},
        where: { file: 'p.yaml', line: 1, col: 1 },
      }),
    (e: unknown) =>
      e instanceof ValidationError &&
      e.message.includes(
        '\n  - host mqnameserver1 broker broker-a-0: broker_properties.mapedFileSizeCommitLog (set in inventory/example-prod/group_vars/brokers.yaml:4:1): mapedFileSizeCommitLog is a legacy key',
      ),
  );
});
P.run();

const U = suite(
  'preflightChecks.broker_lint() reports an unknown key as an error with "did you mean" (it used to crash)',
);
// key in broker_properties → the end of the error message
const UNKNOWN: Array<[string, string]> = [
  [
    'autoCreateTopicEnabled',
    'unknown broker key autoCreateTopicEnabled, which RocketMQ would silently ignore; did you mean autoCreateTopicEnable?',
  ],
  [
    'traceTopicEnabel',
    'unknown broker key traceTopicEnabel, which RocketMQ would silently ignore; did you mean traceTopicEnable?',
  ],
  [
    'noSuchThingAtAll',
    'unknown broker key noSuchThingAtAll, which RocketMQ would silently ignore; check the spelling against `mqbroker -p`',
  ],
];
for (const [key, expected] of UNKNOWN) {
  U(key, () => {
    const inventory = loadInventory('inventory/example-prod');
    const hosts = new Map(
      [...inventory.hosts].map(([n, h]) => [
        n,
        { ...h.vars, broker_properties: { [key]: 'true' } },
      ]),
    );
    assert.throws(
      () =>
        preflightChecks.broker_lint!({
          inventory,
          hosts,
          args: {},
          where: { file: 'p.yaml', line: 1, col: 1 },
        }),
      (e: unknown) =>
        e instanceof ValidationError && e.message.includes(`broker_properties.${key}: ${expected}`),
    );
  });
}
U('a key only the full RocketMQ 5 list knows passes', () => {
  const inventory = loadInventory('inventory/example-prod');
  const hosts = new Map(
    [...inventory.hosts].map(([n, h]) => [
      n,
      { ...h.vars, broker_properties: { enableSlaveActingMaster: 'true' } },
    ]),
  );
  assert.equal(
    preflightChecks.broker_lint!({
      inventory,
      hosts,
      args: {},
      where: { file: 'p.yaml', line: 1, col: 1 },
    }),
    [],
  );
});
U.run();
