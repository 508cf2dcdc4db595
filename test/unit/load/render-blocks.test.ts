// Strict mode covers block helpers: {{#if}}, {{#unless}}, {{#each}}, {{#with}} on a variable no layer defines is an error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../../../lib/shared/errors.ts';
import { renderString, renderTemplateFile } from '../../../lib/load/render.ts';

const where = { file: 'roles/x/tasks/main.yaml', line: 4, col: 9 };
const vars = { on: true, off: false, list: [{ q: 1 }], map: {}, empty: '', zero: 0 };
const S = suite(
  'block helpers on undefined variables fail, naming the variable, the place and the host',
);

/** [template, the error's place and variable, or the rendered text when it is fine] */
const CASES: Array<[string, string]> = [
  ['{{#if missing}}x{{/if}}', 'roles/x/tasks/main.yaml:4:9: variable "missing" used by {{#if}}'],
  ['{{#unless missing}}x{{/unless}}', ':4:9: variable "missing" used by {{#unless}}'],
  ['{{#each missing}}x{{/each}}', 'variable "missing" used by {{#each}}'],
  ['{{#with missing}}x{{/with}}', 'variable "missing" used by {{#with}}'],
  ['{{#if (eq missing 1)}}x{{/if}}', 'variable "missing" used by {{#if}}'],
  ['{{#if on}}{{else if nowhere}}y{{/if}}', 'variable "nowhere" used by {{#if}}'],
  ['{{#if on}}{{#if inner}}y{{/if}}{{/if}}', 'variable "inner" used by {{#if}}'],
  // Defined, even falsy: the condition decides as before.
  ['{{#if off}}x{{else}}y{{/if}}{{#unless empty}}e{{/unless}}{{#if zero}}z{{/if}}', 'ye'],
  // Optional fields of a mapping and names inside each/with are the item's: not variables of any layer.
  [
    '{{#if map.optional}}x{{/if}}{{#each list}}{{#if q}}q{{/if}}{{#if this.r}}r{{/if}}{{/each}}',
    'q',
  ],
  ['{{#each list}}{{@index}}{{/each}}{{#with map}}{{#if nothing}}n{{/if}}{{/with}}', '0'],
];

for (const [template, expected] of CASES) {
  S(template, () => {
    const isError = expected.includes('variable');
    try {
      const out = renderString(template, vars, where, 'broker-a');
      assert.ok(!isError, `rendered ${JSON.stringify(out)} instead of failing`);
      assert.is(out, expected);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      assert.ok(isError, error.message);
      assert.ok(error.message.includes(expected), error.message);
      assert.ok(error.message.endsWith('(host broker-a)'), error.message);
    }
  });
}

S('a template file names its own line', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rmqd-tpl-')), 'broker.properties.hbs');
  writeFileSync(file, 'a=1\nb=2\n{{#if acl_enable}}aclEnable=true{{/if}}\n');
  assert.throws(
    () => renderTemplateFile(file, vars, 'broker-a'),
    (e: Error) => e.message.startsWith(`${file}:3:7: variable "acl_enable"`),
  );
});

S.run();
