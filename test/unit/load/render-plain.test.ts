// Plain `{{var}}` templates render exactly as Handlebars renders them, without Handlebars; anything else still goes to Handlebars.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newTemplateCache, renderString } from '../../../lib/load/render.ts';
import { plainTemplate, renderPlain } from '../../../lib/load/render-plain.ts';
import { TemplateError } from '../../../lib/shared/errors.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const where = { file: 'roles/x/tasks/main.yaml', line: 3, col: 5 };
const ctx: Vars = {
  root: '/opt/rocketmq',
  port: 10911,
  on: false,
  broker: { name: 'broker-a', id: 0 },
  'with-dash': 'd',
  nothing: null,
  list: ['a', 'b'],
};
const never = (): boolean => false;

const Parse = suite('plainTemplate(): literal text and {{ a.b }} references only');
Parse('splits a plain template into texts and paths', () => {
  assert.equal(plainTemplate('{{root}}/conf/{{ broker.name }}.properties'), {
    texts: ['', '/conf/', '.properties'],
    paths: [['root'], ['broker', 'name']],
  });
  assert.equal(plainTemplate('no references'), { texts: ['no references'], paths: [] });
});
Parse('anything Handlebars reads differently is not plain', () => {
  for (const text of [
    '{{upper root}}',
    '{{#if on}}x{{/if}}',
    '{{{root}}}',
    '{{~root}}',
    '{{! comment }}',
    '\\{{root}}',
    '{{this}}',
    '{{true}}',
    '{{else}}',
    '{{list.[0]}}',
    '{{../root}}',
    '{{@key}}',
    'a { b } {{root}}',
    '{{root}',
  ])
    assert.is(plainTemplate(text), undefined, text);
});
Parse.run();

const Render = suite(
  "renderString(): plain templates give what Handlebars gives, errors stay Handlebars'",
);
Render('numbers join as text, booleans print, dashes and nesting resolve', () => {
  const cache = newTemplateCache();
  const cases: Array<[string, string]> = [
    ['{{root}}/conf', '/opt/rocketmq/conf'],
    ['{{port}}{{port}}', '1091110911'],
    ['flag={{ on }}', 'flag=false'],
    ['{{broker.name}}-{{broker.id}}', 'broker-a-0'],
    ['{{with-dash}}!', 'd!'],
    // Not plain values: Handlebars renders them, as before.
    ['[{{list}}]', '[a,b]'],
    ['[{{nothing}}]', '[]'],
  ];
  for (const [text, expected] of cases) {
    assert.is(renderString(text, ctx, where, 'mq1', cache), expected, text);
    // Twice: the cached form gives the same.
    assert.is(renderString(text, ctx, where, 'mq1', cache), expected, text);
  }
});
Render('a missing variable is still the located TemplateError naming the host', () => {
  let error: unknown;
  try {
    renderString('{{root}}/{{missing}}', ctx, where, 'mq1', newTemplateCache());
  } catch (e) {
    error = e;
  }
  assert.instance(error, TemplateError);
  assert.match(String((error as Error).message), /variable "missing" is not defined \(host mq1\)/);
});
Render('a helper name or a non-plain value leaves the rendering to Handlebars', () => {
  const plain = plainTemplate('{{root}}/{{list}}');
  assert.ok(plain);
  if (!plain) return;
  assert.is(renderPlain(plain, ctx, never), undefined);
  const own = plainTemplate('{{root}}/x');
  assert.ok(own);
  if (!own) return;
  assert.is(renderPlain(own, ctx, never), '/opt/rocketmq/x');
  assert.is(
    renderPlain(own, ctx, (name) => name === 'root'),
    undefined,
  );
  assert.is(renderPlain(own, Object.create({ root: 'inherited' }) as Vars, never), undefined);
});
Render.run();
