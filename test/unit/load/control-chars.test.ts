// Values with control characters are refused where they enter (-e, inventory files), naming where they came from;
// what remains reaches broker.properties only through the one properties escaper.
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError, ValidationError } from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { parseProperties, propertiesToMap } from '../../../lib/shared/java-properties.ts';
import { planRun } from '../../../lib/run.ts';
import { renderTemplateFile } from '../../../lib/load/render.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { phaseVars } from '../rocketmq-roles/phase-vars.ts';

function localCopy(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'control-chars-'));
  cpSync('inventory/local', dir, {
    recursive: true,
    filter: (src) => !src.includes('.rocketmq-deploy'),
  });
  appendFileSync(join(dir, 'host_vars', 'localhost.yaml'), extra);
  return dir;
}

const plan = (inventory: string, extraVars: Vars = {}) =>
  planRun({
    playbook: 'playbooks/single-master.yaml',
    inventory,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars,
    forks: 1,
  }).then(
    () => undefined,
    (e: Error) => e,
  );

const E = suite('-e values are one line of text');
E('table: control characters refused, naming the variable and -e; TAB allowed', () => {
  const cases: Array<[string, string | undefined]> = [
    ['a\nmapedFileSizeCommitLog=1', 'U+000A'],
    ['a\rb', 'U+000D'],
    ['a\u0000b', 'U+0000'],
    ['\u001b[31m', 'U+001B'],
    ['a\u007f', 'U+007F'],
    ['a\tb', undefined],
    ['Clüster \\ 中', undefined],
  ];
  for (const [value, code] of cases) {
    if (code === undefined) {
      assert.is(parseExtraVars([`rocketmq_cluster_name=${value}`]).rocketmq_cluster_name, value);
      continue;
    }
    assert.throws(
      () => parseExtraVars([`rocketmq_cluster_name=${value}`]),
      (e: unknown) =>
        e instanceof UsageError &&
        new RegExp(
          `"rocketmq_cluster_name" \\(set in -e\\) holds the control character ${code.replace('+', '\\+')}`,
        ).test((e as Error).message),
    );
  }
  assert.throws(
    () => parseExtraVars(['{"broker_properties": {"a": "x\\ny=1"}}']),
    /"broker_properties\.a" \(set in -e\)/,
  );
  assert.throws(() => parseExtraVars(['{"broker_properties": {"a\\nb": "1"}}']), /key "a\\nb"/);
});
E('a run given such -e values stops before planning any host', async () => {
  const error = await plan('inventory/local', {
    rocketmq_cluster_name: 'a\nmapedFileSizeCommitLog=1',
  });
  assert.ok(error instanceof UsageError, String(error));
});
E.run();

const I = suite('inventory values are one line of text');
I('a newline in a host_vars value is refused at its file:line:col', async () => {
  const inv = localCopy('rocketmq_cluster_name: "a\\nmapedFileSizeCommitLog=1"\n');
  const error = await plan(inv);
  assert.ok(error instanceof ValidationError, String(error));
  assert.match(
    error!.message,
    /host_vars\/localhost\.yaml:\d+:\d+: host localhost: "rocketmq_cluster_name" .* U\+000A \(a newline\)/,
  );
});
I('*_content and *_block variables may hold several lines', async () => {
  assert.is(await plan(localCopy('motd_content: "line 1\\nline 2\\n"\n')), undefined);
});
I.run();

const B = suite('broker.properties writes every value through the properties escaper');
B('backslashes, leading blanks and non-ASCII read back exactly; no value adds a line', () => {
  const inventory = loadInventory('inventory/example-prod');
  const odd = ' Clüster\\x=1 中';
  const vars: Vars = {
    ...phaseVars(inventory, 'mqnameserver1', 'broker', { rocketmq_topology: '2m2s-async' }),
    rocketmq_cluster_name: odd,
    broker_properties: { 'odd key': 'a\\b' },
  };
  const item = (vars.broker_instances as Vars[])[0];
  const text = renderTemplateFile(
    'roles/broker/templates/broker.properties.hbs',
    { ...vars, item },
    'mqnameserver1',
  );
  const props = propertiesToMap(parseProperties(text));
  assert.is(props.get('brokerClusterName'), odd);
  assert.is(props.get('odd key'), 'a\\b');
  assert.ok(/^[\x00-\x7f]*$/.test(text), 'ASCII only: RocketMQ reads the file as ISO-8859-1');
});
B.run();
