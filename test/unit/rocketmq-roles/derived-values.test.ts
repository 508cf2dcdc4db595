// What the broker role derives stays derived and checked: broker_properties cannot override topology keys, derived
// ports must be real ports (errors name the variable and its file), and one machine under two spellings is one.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { rocketmqPreflightChecks as preflightChecks } from '../../../lib/rocketmq/preflight-checks.ts';
import { planRun } from '../../../lib/run.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';
import type { Vars } from '../../../lib/shared/types.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'derived-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs one preflight check over an inventory folder; returns its error message ("" when it passes). */
function preflight(dir: string, check: string, topology: string, extraVars: Vars = {}): string {
  const inventory = loadInventory(dir);
  const scope = varScope(inventory, extraVars);
  const hosts = new Map(
    [...inventory.hosts.values()].map(
      (h) => [h.name, resolveVars(hostVars(scope, h.name), undefined, h.sources)] as const,
    ),
  );
  try {
    preflightChecks[check]!({
      inventory,
      hosts,
      args: { topology },
      where: { file: 'p.yaml', line: 1, col: 1 },
    });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

const TWO_GROUPS = `all:
  children:
    nameservers:
      hosts:
        mq1: { ansible_host: 10.0.0.1 }
    brokers:
      hosts:
        mq1: { broker_name: broker-a, broker_id: 0 }
        mq2: { ansible_host: 10.0.0.2, broker_name: broker-a, broker_id: 1 }
        mq3: { ansible_host: 10.0.0.3, broker_name: broker-b, broker_id: 0 }
        mq4: { ansible_host: 10.0.0.4, broker_name: broker-b, broker_id: 1 }
`;

const D = suite('broker_properties cannot set what the broker role derives');
D('table: derived key → error naming the variable, its file and the variable to use', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['brokerRole', 'SYNC_MASTER', /broker_id \(0 is the master/],
    ['brokerId', '0', /set broker_id/],
    ['brokerName', 'x', /set broker_name instead/],
    ['brokerClusterName', 'C', /set rocketmq_cluster_name instead/],
    ['listenPort', '20911', /set listen_port on the instance/],
    ['haListenPort', '20912', /set ha_listen_port/],
    ['brokerIP1', '10.1.1.1', /set broker_ip1 instead/],
    ['brokerIP2', '10.1.1.1', /set broker_ip2 instead/],
    ['storePathRootDir', '/x', /set store_path_root_dir/],
    ['storePathCommitLog', '/x/c', /set store_path_commit_log/],
    ['namesrvAddr', 'a:9876', /the nameservers group and namesrv_port/],
  ];
  for (const [key, value, instead] of cases) {
    const dir = tree({
      'hosts.yaml': TWO_GROUPS,
      'host_vars/mq2.yaml': `# slave\nbroker_properties:\n  ${key}: ${value}\n`,
    });
    const message = preflight(dir, 'broker_lint', '2m2s-sync');
    assert.match(
      message,
      new RegExp(
        `host mq2 broker broker-a-1: broker_properties\\.${key} \\(set in \\S*host_vars/mq2\\.yaml:\\d+:\\d+\\): ${key} is derived by the broker role`,
      ),
      key,
    );
    assert.match(message, instead, key);
  }
});
D(
  "the issue's case: {brokerRole: SYNC_MASTER, brokerId: 0} on a slave is an error, not a warning",
  () => {
    const dir = tree({
      'hosts.yaml': TWO_GROUPS,
      'host_vars/mq2.yaml': 'broker_properties: { brokerRole: SYNC_MASTER, brokerId: 0 }\n',
    });
    assert.match(
      preflight(dir, 'broker_lint', '2m2s-sync'),
      /brokerRole is derived[\s\S]*brokerId is derived/,
    );
    const own = tree({
      'hosts.yaml': TWO_GROUPS.replace(
        'mq2: { ansible_host: 10.0.0.2, broker_name: broker-a, broker_id: 1 }',
        'mq2: { ansible_host: 10.0.0.2 }',
      ),
      'host_vars/mq2.yaml':
        'broker_instances:\n  - { broker_name: broker-a, broker_id: 1, properties: { brokerRole: ASYNC_MASTER } }\n',
    });
    assert.match(
      preflight(own, 'broker_lint', '2m2s-async'),
      /broker_instances\[0\]\.properties\.brokerRole \(set in \S*host_vars\/mq2\.yaml:\d+:\d+\): brokerRole is derived/,
    );
    assert.is(
      preflight(
        tree({
          'hosts.yaml': TWO_GROUPS,
          'host_vars/mq2.yaml': 'broker_properties: { deleteWhen: "04" }\n',
        }),
        'broker_lint',
        '2m2s-sync',
      ),
      '',
    );
  },
);
D.run();

const P = suite('derived ports are checked and blamed on the variable that set them');
P('table: listen_port → the derived port out of range', () => {
  const cases: Array<[number, string | undefined]> = [
    [65535, 'haListenPort would be 65536'],
    [65534, undefined],
    [2, 'fast port \\(listen_port-2\\) would be 0'],
    [3, undefined],
  ];
  for (const [port, problem] of cases) {
    const dir = tree({
      'hosts.yaml': TWO_GROUPS.replace(
        'mq3: { ansible_host: 10.0.0.3, broker_name: broker-b, broker_id: 0 }',
        'mq3: { ansible_host: 10.0.0.3 }',
      ),
      'host_vars/mq3.yaml': `# broker-b master\nbroker_instances:\n  - { broker_name: broker-b, broker_id: 0, listen_port: ${port} }\n`,
    });
    const message = preflight(dir, 'rocketmq_topology', '2m2s-async');
    if (problem === undefined) assert.is(message, '', String(port));
    else
      assert.match(
        message,
        new RegExp(
          `host mq3 broker broker-b-0: ${problem}.*it comes from broker_instances\\[0\\]\\.listen_port \\(set in \\S*host_vars/mq3\\.yaml:\\d+:\\d+\\)`,
        ),
        String(port),
      );
  }
});
P(
  'a run with -e broker_listen_port=65535 stops in the preflight naming -e, not at a role task line',
  async () => {
    const error = await planRun({
      playbook: 'playbooks/single-master.yaml',
      inventory: 'test/fixtures/inventories/single-master',
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars: { broker_listen_port: 65535 },
      forks: 1,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(
      error?.message ?? '',
      /host mq2 broker broker-a-0: haListenPort would be 65536.*broker_listen_port \(set in -e\)/,
    );
    assert.not.match(error?.message ?? '', /roles\/broker\/tasks/);
  },
);
P.run();

const M = suite('one machine under two spellings is one machine');
const pair = (a: string, b: string, second: string): string => `all:
  children:
    nameservers:
      hosts:
        ${a}:
    brokers:
      hosts:
        ${a}: { broker_instances: [{ broker_name: broker-a, broker_id: 0, listen_port: 10911 }] }
        ${b}: { broker_instances: [{ broker_name: broker-b, broker_id: 0, ${second} }] }
`;
M('table: two inventory names → port or store path collision found', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'localhost',
      '127.0.0.1',
      'listen_port: 10911',
      /ports? 10909, 10911, 10912 of broker-b-0 on host 127\.0\.0\.1 .* also used by broker-a-0 on host localhost/,
    ],
    ['localhost', '127.0.0.2', 'listen_port: 10912', /port.* of broker-b-0 on host 127\.0\.0\.2/],
    ['mq1', 'MQ1', 'listen_port: 10911', /also used by broker-a-0 on host mq1/],
    [
      'localhost',
      '::1',
      'listen_port: 10921, store_path_root_dir: /var/lib/rocketmq/broker-a-0/store',
      /share the store path/,
    ],
  ];
  for (const [a, b, second, expected] of cases) {
    assert.match(
      preflight(
        tree({ 'hosts.yaml': pair(a, `"${b}"`, second) }),
        'rocketmq_topology',
        'multi-master',
      ),
      expected,
      `${a} + ${b}`,
    );
  }
  assert.is(
    preflight(
      tree({ 'hosts.yaml': pair('localhost', '"127.0.0.1"', 'listen_port: 10921') }),
      'rocketmq_topology',
      'multi-master',
    ),
    '',
  );
});
M.run();
