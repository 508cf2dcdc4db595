// A template that reads only what every host shares (a `{{#each hostvars}}` block) renders once per run, with the same text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Handlebars from 'handlebars';
import { newTemplateCache, renderString, renderValue } from '../../../lib/load/render.ts';
import { rootReads } from '../../../lib/load/render-memo.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const where = { file: 'roles/base/tasks/main.yaml', line: 2, col: 3 };
const never = (): boolean => false;
const reads = (text: string) => rootReads(Handlebars.parse(text), never);

const Reads = suite('rootReads(): the root variables a template reads, or undefined');
Reads('paths, block conditions, @root; items inside each/with are not root reads', () => {
  assert.equal(reads('{{#each hostvars}}{{this.ansible_host}} {{@key}}\n{{/each}}'), ['hostvars']);
  assert.equal(reads('{{#if on}}{{a.b}}{{else}}{{@root.c}}{{/if}}'), ['on', 'a', 'c']);
  assert.equal(reads('{{#with broker}}{{name}}{{/with}}'), ['broker']);
});
Reads('helper calls, partials, ../ and the whole context are not followed', () => {
  for (const text of [
    '{{upper a}}',
    '{{#each (keys m)}}x{{/each}}',
    '{{> p}}',
    '{{this}}',
    '{{#each l}}{{../a}}{{/each}}',
    '{{#custom a}}x{{/custom}}',
  ])
    assert.is(reads(text), undefined, text);
  assert.is(
    rootReads(Handlebars.parse('{{upper}}'), (name) => name === 'upper'),
    undefined,
  );
});
Reads.run();

const Memo = suite('renderString(): one rendering for every host that shares the values read');
Memo('hosts sharing hostvars render the each block once, with the same text', () => {
  let reads = 0;
  const hostvars = {};
  for (const name of ['mq1', 'mq2', 'mq3'])
    Object.defineProperty(hostvars, name, {
      enumerable: true,
      get: () => {
        reads++;
        return { ansible_host: `10.0.0.${name.slice(2)}` };
      },
    });
  const text = '{{#each hostvars}}{{this.ansible_host}} {{@key}}\n{{/each}}';
  const cache = newTemplateCache();
  const render = (host: string) =>
    renderString(text, { inventory_hostname: host, hostvars }, where, host, cache);
  const first = render('mq1');
  const readsByOneRendering = reads;
  assert.ok(readsByOneRendering >= 3);
  assert.equal(
    [first, render('mq2'), render('mq3')],
    Array(3).fill('10.0.0.1 mq1\n10.0.0.2 mq2\n10.0.0.3 mq3\n'),
  );
  assert.is(reads, readsByOneRendering);
});
Memo('a template reading a per-host value renders per host; a helper call is never kept', () => {
  const cache = newTemplateCache();
  const text = '{{#if on}}{{inventory_hostname}}{{/if}}';
  const a: Vars = { on: true, inventory_hostname: 'mq1' };
  const b: Vars = { on: true, inventory_hostname: 'mq2' };
  assert.is(renderString(text, a, where, 'mq1', cache), 'mq1');
  assert.is(renderString(text, b, where, 'mq2', cache), 'mq2');
  assert.is(renderValue('{{ default x "d" }}', { x: '' }, where, 'mq1', cache), 'd');
  assert.is(renderValue('{{ default x "d" }}', { x: 'own' }, where, 'mq2', cache), 'own');
});
Memo.run();
