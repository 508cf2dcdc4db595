// hostVars(), resolveVars(), parseExtraVars(): precedence, magic variables, references, cycles, -e forms.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConfigError,
  TemplateError,
  UsageError,
  ValidationError,
} from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';
import { FIXTURES, thrown, writeTree } from './tmp-tree.ts';

const inv = loadInventory(join(FIXTURES, 'inventory'));

const Layers = suite('hostVars() ranks role defaults < inventory < play vars < extra vars');

// Layers given (level set in each listed layer) → value that wins for mq4 (inventory level: "brokers").
const LAYERS: Array<[Array<'roleDefaults' | 'playVars' | 'extraVars'>, string]> = [
  [[], 'brokers'],
  [['roleDefaults'], 'brokers'],
  [['playVars'], 'playVars'],
  [['roleDefaults', 'playVars'], 'playVars'],
  [['extraVars'], 'extraVars'],
  [['playVars', 'extraVars'], 'extraVars'],
];

Layers('the highest layer that sets a variable wins', () => {
  for (const [given, winner] of LAYERS) {
    const { extraVars, ...layers } = Object.fromEntries(
      given.map((layer) => [layer, { level: layer }]),
    );
    const vars = hostVars(varScope(inv, extraVars), 'mq4', layers);
    assert.is(vars.level, winner, JSON.stringify(given));
  }
  assert.is(hostVars(varScope(inv), 'mq4', { roleDefaults: { only_default: 7 } }).only_default, 7);
});

Layers('magic variables describe the host and the inventory', () => {
  const vars = hostVars(varScope(inv, { inventory_hostname: 'spoof' }), 'mq3');
  assert.is(vars.inventory_hostname, 'mq3');
  assert.is(vars.inventory_env, 'inventory');
  assert.equal(vars.group_names, ['broker_b', 'brokers', 'zone_b']);
  assert.equal((vars.groups as Record<string, string[]>).brokers, ['mq1', 'mq2', 'mq3', 'mq4']);
  assert.equal((vars.groups as Record<string, string[]>).all?.length, 6);
  assert.is((vars.hostvars as Record<string, Vars>).ns1?.ansible_host, '10.0.0.1');
});

Layers('an unknown host is a ValidationError', () => {
  assert.instance(
    thrown(() => hostVars(varScope(inv), 'nope')),
    ValidationError,
  );
});

Layers.run();

const Resolve = suite('resolveVars() renders references in any order and keeps lone values typed');

Resolve('values refer to each other, deeply, through helpers and magic variables', () => {
  const vars = resolveVars({
    store_root: '{{ base_dir }}/store',
    commitlog: '{{ store_root }}/commitlog',
    base_dir: '/opt/mq',
    ports: ['{{ port }}', '{{ add port 1 }}'],
    port: 10911,
    conf: { dir: '{{ base_dir }}/conf' },
    groups: { nameservers: ['ns1', 'ns2'] },
    namesrv_addr: '{{#each groups.nameservers}}{{this}}:9876{{#unless @last}};{{/unless}}{{/each}}',
  });
  assert.is(vars.commitlog, '/opt/mq/store/commitlog');
  assert.equal(vars.ports, [10911, 10912]);
  assert.equal(vars.conf, { dir: '/opt/mq/conf' });
  assert.is(vars.namesrv_addr, 'ns1:9876;ns2:9876');
});

const CYCLES: Array<[Vars, string]> = [
  [{ a: '{{ a }}' }, 'vars.yaml:3:1: variable cycle: a → a'],
  [
    { a: '{{ b }}', b: 'x-{{ c }}', c: ['{{ a }}'] },
    'vars.yaml:3:1: variable cycle: a → b → c → a',
  ],
  [{ x: 1, b: '{{ c }}', c: '{{#if b}}y{{/if}}' }, 'vars.yaml:3:1: variable cycle: b → c → b'],
];

Resolve('a reference cycle is a TemplateError naming the variables in order', () => {
  for (const [vars, expected] of CYCLES) {
    const err = thrown(() => resolveVars(vars, { file: 'vars.yaml', line: 3, col: 1 }));
    assert.instance(err, TemplateError);
    assert.ok(err.message.startsWith(expected), `expected: ${expected}\nactual:   ${err.message}`);
  }
});

Resolve('an undefined reference names the variable and the file that set it', () => {
  const err = thrown(() =>
    resolveVars({ inventory_hostname: 'mq1', dir: '{{ bse }}/x' }, undefined, {
      dir: { file: 'group_vars/all.yaml', line: 2, col: 6 },
    }),
  );
  assert.is(err.message, 'group_vars/all.yaml:2:6: variable "bse" is not defined (host mq1)');
});

Resolve.run();

const Extra = suite('parseExtraVars() reads key=value, @file and inline mappings');

const tmp = writeTree({
  'ok.yaml': 'version: 5.3.1\nports: [1, 2]\n',
  'list.yaml': '- a\n',
  'broken.yaml': 'a: [1,\nb: 2\n',
});

const EXTRA: Array<[string[], Vars]> = [
  [['a=1'], { a: '1' }],
  [['a='], { a: '' }],
  [['url=http://x/?q=1'], { url: 'http://x/?q=1' }],
  [['a=1', 'a=2'], { a: '2' }],
  [['{"n": 1, "on": true}'], { n: 1, on: true }],
  [['{n: 1, l: [x]}'], { n: 1, l: ['x'] }],
  [[`@${join(tmp, 'ok.yaml')}`, 'version=5.4.0'], { version: '5.4.0', ports: [1, 2] }],
];

Extra('each argument list gives the expected variables', () => {
  for (const [args, expected] of EXTRA)
    assert.equal(parseExtraVars(args), expected, JSON.stringify(args));
});

const EXTRA_BAD: Array<[string, string, new (...args: never[]) => Error]> = [
  ['novalue', '-e "novalue": expected key=value', UsageError],
  ['=1', '-e "=1": expected key=value', UsageError],
  ['bad-key=1', '-e "bad-key=1": expected key=value', UsageError],
  [
    `@${join(tmp, 'list.yaml')}`,
    `${join(tmp, 'list.yaml')}:1:1: extra vars file "${join(tmp, 'list.yaml')}" must be a mapping`,
    ValidationError,
  ],
  [`@${join(tmp, 'broken.yaml')}`, `${join(tmp, 'broken.yaml')}:2:1: invalid YAML`, ConfigError],
  [
    `@${join(tmp, 'none.yaml')}`,
    `cannot read "${join(tmp, 'none.yaml')}": no such file`,
    ConfigError,
  ],
];

Extra('each bad argument gives a typed error with its place', () => {
  for (const [arg, expected, type] of EXTRA_BAD) {
    const err = thrown(() => parseExtraVars([arg]));
    assert.instance(err, type, arg);
    assert.ok(
      err.message.startsWith(expected),
      `${arg}\nexpected: ${expected}\nactual:   ${err.message}`,
    );
  }
});

Extra.run();
