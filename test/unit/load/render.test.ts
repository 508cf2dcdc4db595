// renderTemplateFile(), renderString(), renderValue(): strict, unescaped rendering with typed values and located errors.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../../../lib/shared/errors.ts';
import { renderString, renderTemplateFile, renderValue } from '../../../lib/load/render.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { FIXTURES, thrown } from './tmp-tree.ts';

const where = { file: 'site.yaml', line: 7, col: 9 };
const ctx: Vars = {
  port: 10911,
  on: true,
  list: ['a', 'b'],
  map: { k: 'v' },
  name: 'Broker-A',
  text: 'x<&>"y',
  nothing: null,
  blank: '',
};

const Value = suite('renderValue() keeps the type of a lone {{ expr }} and renders other strings');

const VALUES: Array<[unknown, unknown]> = [
  ['{{ port }}', 10911],
  ['{{port}}', 10911],
  ['  {{ on }} ', true],
  ['{{ list }}', ['a', 'b']],
  ['{{ map }}', { k: 'v' }],
  ['{{ map.k }}', 'v'],
  ['{{ list.[1] }}', 'b'],
  ['{{ nothing }}', null],
  ['{{ add port 2 }}', 10913],
  ['{{ split "a,b" }}', ['a', 'b']],
  ['{{ eq port 10911 }}', true],
  ['port={{ port }}', 'port=10911'],
  ['{{ port }}{{ port }}', '1091110911'],
  ['{{#each list}}{{@index}}{{@index}}{{/each}}', '0011'],
  ['{{ on }}{{ on }}', 'truetrue'],
  ['{{ text }}', 'x<&>"y'],
  ['t={{ text }}', 't=x<&>"y'],
  ['{{ default blank "dflt" }}', 'dflt'],
  [
    { a: ['{{ port }}', 'n={{ name }}'], b: 3, c: false },
    { a: [10911, 'n=Broker-A'], b: 3, c: false },
  ],
  [42, 42],
  ['no template', 'no template'],
];

Value('each value renders to the expected value and type', () => {
  for (const [input, expected] of VALUES)
    assert.equal(renderValue(input, ctx, where), expected, JSON.stringify(input));
});

Value('a lone helper call keeps its own value when its argument renders another one', () => {
  // resolveVars reads variables through getters that render on first use, inside the outer render.
  const nested = {
    get inner() {
      return renderValue('{{ add port 1 }}', ctx, where);
    },
  };
  assert.is(renderValue('{{ add inner 1 }}', nested, where), 10913);
  assert.equal(renderValue(['{{ split "a,b" }}', '{{ add inner 2 }}'], nested, where), [
    ['a', 'b'],
    10914,
  ]);
});

Value("a missing variable in a lone expression is an error at the value's place", () => {
  assert.is(
    thrown(() => renderValue('{{ brokerIp }}', ctx, where, 'mq1')).message,
    'site.yaml:7:9: variable "brokerIp" is not defined (host mq1)',
  );
  assert.is(
    thrown(() => renderValue(['{{ map.nope }}'], ctx, where)).message,
    'site.yaml:7:9: variable "map.nope" is not defined',
  );
});

Value.run();

const Helpers = suite('renderString() offers the documented helpers');

const HELPERS: Array<[string, string]> = [
  ['{{#if (eq name "Broker-A")}}y{{else}}n{{/if}}', 'y'],
  ['{{#if (ne port 1)}}y{{/if}}', 'y'],
  ['{{lt 1 2}} {{gt 1 2}}', 'true false'],
  ['{{and on 1}} {{or 0 ""}} {{not on}}', 'true false false'],
  ['{{default missing "d"}} {{default name "d"}}', 'd Broker-A'],
  ['{{join list ";"}} {{join list}}', 'a;b a,b'],
  ['{{lower name}} {{upper name}}', 'broker-a BROKER-A'],
  ['{{add port 1 1}} {{sub port 1}}', '10913 10910'],
  ['{{json map}}', '{"k":"v"}'],
  ['{{concat name "-" port}} {{join (concat list "c") "+"}}', 'Broker-A-10911 a+b+c'],
  ['{{join (split "x y" " ") "|"}}', 'x|y'],
  ['{{includes list "b"}} {{includes list "z"}} {{includes name "A"}}', 'true false true'],
  ['{{join (keys map) ","}} {{len list}} {{len map}} {{len name}}', 'k 2 1 8'],
  ['{{replace name "-" "_"}} [{{trim "  t "}}]', 'Broker_A [t]'],
  ['a:\n  {{indent "x\ny\n\nz" 2}}', 'a:\n  x\n  y\n\n  z'],
];

Helpers('each template renders to the expected text', () => {
  for (const [template, expected] of HELPERS)
    assert.is(renderString(template, ctx, where), expected, template);
});

const HELPER_ERRORS: Array<[string, string]> = [
  ['x {{frobnicate port}}', 'site.yaml:7:9: unknown helper "frobnicate" (known: eq, ne'],
  ['{{add name 1}}', 'site.yaml:7:9: helper "add": "Broker-A" is not a number'],
  ['{{join name}}', 'site.yaml:7:9: helper "join": expected a list'],
  ['a\nb\n  {{#if on}}', 'site.yaml:9:1: template syntax error: unexpected end of template'],
  ['a\n{{map.k.z}}', 'site.yaml:8:1: cannot look up "z" inside v: it is not a mapping'],
];

Helpers('helper misuse is a TemplateError naming the problem', () => {
  for (const [template, expected] of HELPER_ERRORS) {
    const err = thrown(() => renderString(template, ctx, where));
    assert.instance(err, TemplateError, template);
    assert.ok(
      err.message.startsWith(expected),
      `${template}\nexpected: ${expected}\nactual:   ${err.message}`,
    );
  }
});

Helpers.run();

const File = suite('renderTemplateFile() is strict and names file:line:col and host');

File('renders a template file without HTML escaping', () => {
  const text = renderTemplateFile(join(FIXTURES, 'roles/web/templates/app.conf.hbs'), {
    app_port: 80,
    brokerIp: '10.0.0.5&x',
  });
  assert.is(text, '# app config\nport=80\nhost=10.0.0.5&x\n');
});

const MISSING: Array<[Vars, string]> = [
  [
    { namesrv: 'a', sync: true, brokerIp: 'x' },
    'missing.hbs:1:15: variable "port" is not defined (host mq1)',
  ],
  [
    { port: 1, sync: true, brokerIp: 'x' },
    'missing.hbs:2:16: variable "namesrv" is not defined (host mq1)',
  ],
  [
    { port: 1, namesrv: 'a', sync: true },
    'missing.hbs:4:17: variable "brokerIp" is not defined (host mq1)',
  ],
];

File('a missing variable points at its line and column in the template', () => {
  const file = join(FIXTURES, 'templates/missing.hbs');
  for (const [vars, expected] of MISSING) {
    const err = thrown(() => renderTemplateFile(file, vars, 'mq1'));
    assert.instance(err, TemplateError);
    assert.is(err.message, join(FIXTURES, 'templates', expected));
  }
});

File('a missing template file says so', () => {
  const err = thrown(() => renderTemplateFile(join(FIXTURES, 'templates/none.hbs'), {}, 'mq2'));
  assert.instance(err, TemplateError);
  assert.match(err.message, 'none.hbs: template not found');
});

File.run();
