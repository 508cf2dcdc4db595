// brokerPropertyChanges(): key-by-key drift of a broker config, hand edits and broker-written runtime changes, table-driven.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { knownBrokerKeys } from '../../../lib/rocketmq/broker-keys.ts';
import {
  brokerConfigChanges,
  brokerPropertyChanges,
  isBrokerWritten,
  RUNTIME_NOTE,
} from '../../../lib/rocketmq/broker-config-drift.ts';
import { copyModule } from '../../../lib/modules/copy.ts';

const DECLARED = [
  'brokerClusterName=TestCluster',
  'brokerName=broker-a',
  'brokerId=0',
  'brokerRole=SYNC_MASTER',
  'flushDiskType=ASYNC_FLUSH',
  'brokerIP1=10.77.2.11',
  'listenPort=10911',
  'slaveReadEnable=true',
  '',
].join('\n');

/** What the broker writes after `mqadmin updateBrokerConfig`: every key, sorted, declared values kept, one key overridden. */
function brokerWritten(overrides: Record<string, string>): string {
  const values = new Map([...knownBrokerKeys()].map(([k, v]) => [k, v.default || 'machine-value']));
  for (const line of DECLARED.split('\n').filter(Boolean)) {
    const [k, v] = line.split('=') as [string, string];
    values.set(k, v);
  }
  for (const [k, v] of Object.entries(overrides)) values.set(k, v);
  return `${[...values]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

const cases: Array<{ name: string; found: string; changes: unknown[] }> = [
  { name: 'the same file', found: DECLARED, changes: [] },
  {
    name: 'a declared key edited by hand',
    found: DECLARED.replace('flushDiskType=ASYNC_FLUSH', 'flushDiskType=SYNC_FLUSH'),
    changes: [{ item: 'flushDiskType', before: 'SYNC_FLUSH', after: 'ASYNC_FLUSH' }],
  },
  {
    name: 'a declared key removed',
    found: DECLARED.replace('slaveReadEnable=true\n', ''),
    changes: [{ item: 'slaveReadEnable', after: 'true' }],
  },
  {
    name: 'a legacy key added by hand',
    found: `${DECLARED}mapedFileSizeCommitLog=1073741824\n`,
    changes: [
      {
        item: 'legacy key mapedFileSizeCommitLog',
        before:
          '1073741824 (ignored by RocketMQ 5: renamed in 4.5.2 (typo fix); the old name is ignored)',
      },
    ],
  },
  {
    name: 'an unknown key added',
    found: `${DECLARED}fooBar=1\n`,
    changes: [{ item: 'unknown key fooBar', before: '1' }],
  },
  { name: 'an undeclared key at its default', found: `${DECLARED}deleteWhen=04\n`, changes: [] },
  {
    name: 'an undeclared key away from its default, by hand',
    found: `${DECLARED}deleteWhen=05\n`,
    changes: [{ item: 'deleteWhen', before: '05', after: '04 (RocketMQ default)' }],
  },
  {
    name: 'rewritten by the broker with the declared values',
    found: brokerWritten({}),
    changes: [],
  },
  {
    name: 'a runtime change of a declared key',
    found: brokerWritten({ flushDiskType: 'SYNC_FLUSH' }),
    changes: [
      {
        item: 'runtime change flushDiskType',
        before: `SYNC_FLUSH ${RUNTIME_NOTE}`,
        after: 'ASYNC_FLUSH',
      },
    ],
  },
  {
    name: 'a runtime change of an undeclared key',
    found: brokerWritten({ maxMessageSize: '1024' }),
    changes: [
      {
        item: 'runtime change maxMessageSize',
        before: `1024 ${RUNTIME_NOTE}`,
        after: '4194304 (RocketMQ default)',
      },
    ],
  },
];

const S = suite('brokerPropertyChanges() lists only the keys whose meaning differs');
for (const c of cases) {
  S(c.name, () =>
    assert.equal(
      brokerPropertyChanges(c.found, DECLARED),
      c.changes,
      JSON.stringify(brokerPropertyChanges(c.found, DECLARED)),
    ),
  );
}
S.run();

const W = suite('isBrokerWritten() tells a broker-written file from a hand-written one');
W('all known keys: broker-written; the declared 8 keys: hand-written', () => {
  const map = (text: string) =>
    new Map(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('=') as [string, string]),
    );
  assert.ok(isBrokerWritten(map(brokerWritten({}))));
  assert.not.ok(isBrokerWritten(map(DECLARED)));
});
W.run();

const L = suite('brokerConfigChanges() still reports a rewrite when only the layout differs');
L('same values in the broker layout → one layout item', () => {
  assert.equal(brokerConfigChanges(brokerWritten({}), DECLARED), [
    { item: 'layout', before: 'rewritten by the broker, same values', after: 'declared text' },
  ]);
});
L.run();

const C = suite(
  'copyModule.plan() with compare: rocketmq_broker fetches and compares key by key on a real run',
);
C('a runtime change is named in a non-check run and the declared file is written back', () => {
  const where = { file: 'p.yaml', line: 1, col: 1 };
  const ctx = { host: 'broker-a@10.77.2.11', check: false, diff: false };
  const args = copyModule.validate(
    { dest: '/etc/rocketmq/broker-a-0.properties', content: DECLARED, compare: 'rocketmq_broker' },
    where,
    {} as never,
  );
  const probe = copyModule.probes(args, ctx)[0]!;
  assert.match(probe.script, 'base64', 'content is fetched outside check mode');
  const found = brokerWritten({ flushDiskType: 'SYNC_FLUSH' });
  const stdout = `exists=1\ntype=regular file\nmode=644\nowner=root\ngroup=root\nuid=0\ngid=0\nsize=${found.length}\nsha256=${'0'.repeat(64)}\ncontent=${btoa(found)}\n`;
  const plan = copyModule.plan(args, new Map([[probe.id, { stdout, code: 0 }]]), ctx);
  assert.equal(
    plan.changes.map((c) => c.item),
    ['runtime change flushDiskType'],
  );
  assert.is(plan.actions.length, 1);
  assert.throws(
    () => copyModule.validate({ dest: '/x', content: '', compare: 'keys' }, where, {} as never),
    /compare/,
  );
});
C.run();

const Src = suite(
  "copyModule.validate() takes the declared text from src (the role's files/ folder)",
);
Src('reads the resolved file; a missing one names src and its path', () => {
  const where = { file: 'p.yaml', line: 1, col: 1 };
  const file = new URL('../../../lib/rocketmq/broker-keys.json', import.meta.url).pathname;
  const ctx = {
    host: 'h',
    vars: {},
    renderFile: (s: string) => s,
    resolveFile: (s: string) => (s === 'keys.json' ? file : `/nowhere/${s}`),
    // As the planner's: the text the load stage read, or the read error it met.
    readFile: (path: string) => readFileSync(path, 'utf8'),
  };
  const args = copyModule.validate({ dest: '/opt/x/keys.json', src: 'keys.json' }, where, ctx);
  assert.match(args.content, '"rocketmqVersion": "5.5.0"');
  assert.throws(
    () => copyModule.validate({ dest: '/opt/x/y', src: 'gone.java' }, where, ctx),
    /cannot read src "gone.java" \(\/nowhere\/gone.java\)/,
  );
});
Src.run();
