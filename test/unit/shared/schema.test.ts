// The one schema helper: a schema's first problem becomes one message at the YAML node's file:line:col.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseYaml } from '../../../lib/load/yaml.ts';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { parseArgs, parseAt, z } from '../../../lib/shared/schema.ts';
import { bool, fileMode, stringList, text, whole } from '../../../lib/shared/schema-fields.ts';

const item = z
  .strictObject({
    name: text('an item needs "name: <text>"'),
    size: whole(1, 9).optional(),
    on: bool().optional(),
    tags: stringList(),
  })
  .meta({ title: 'item' });
const list = z.array(item);

function messageOf(yaml: string, schema: z.ZodType = list): string {
  try {
    parseAt(schema, parseYaml(yaml, 'f.yaml'), []);
  } catch (error) {
    assert.instance(error, ValidationError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

const At = suite('parseAt() says what is wrong where it is');

At('values are typed: numbers as text, yes/no as booleans, one string as a list', () => {
  const y = parseYaml('- name: 1\n  size: "3"\n  on: "No"\n  tags: a\n', 'f.yaml');
  assert.equal(parseAt(list, y, []), [{ name: '1', size: 3, on: false, tags: ['a'] }]);
});

At('a wrong value is named by its key, at its line:col, with what it was', () => {
  assert.is(
    messageOf('- name: a\n  size: 10\n'),
    'f.yaml:2:9: "size" must be a whole number from 1 to 9, got number 10',
  );
  assert.is(
    messageOf('- name: a\n  tags: [x, [y]]\n'),
    'f.yaml:2:13: "tags[1]" must be a string, got a list',
  );
});

At('an unknown key is pointed at, with the known ones and a suggestion', () => {
  assert.is(
    messageOf('- name: a\n  szie: 1\n'),
    'f.yaml:2:3: item: unknown key "szie" (known: name, size, on, tags); did you mean size?',
  );
});

At('a misspelt key is reported before the key it leaves missing', () => {
  assert.match(messageOf('- nmae: a\n'), /^f\.yaml:1:3: item: unknown key "nmae"/);
  assert.is(messageOf('- size: 1\n'), 'f.yaml:1:3: an item needs "name: <text>"');
});

At('the earliest problem in the file comes first', () => {
  assert.match(
    messageOf('- name: a\n  on: maybe\n- name: b\n  size: 0\n'),
    /^f\.yaml:2:7: "on" must be a boolean/,
  );
});

At.run();

const Args = suite('parseArgs() points at the task for rendered module arguments');

Args('missing and unknown keys start with the module name; modes come back as 4 digits', () => {
  const args = z
    .strictObject({ path: text(), mode: fileMode().optional() })
    .meta({ title: 'file' });
  const where = { file: 'p.yaml', line: 3, col: 5 };
  assert.equal(parseArgs(args, { path: '/a', mode: 644 }, 'file', where), {
    path: '/a',
    mode: '0644',
  });
  const thrown = (raw: unknown) => {
    try {
      parseArgs(args, raw, 'file', where);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };
  assert.is(thrown({}), 'p.yaml:3:5: file: "path" is required');
  assert.is(
    thrown({ path: '/a', mod: 1 }),
    'p.yaml:3:5: file: unknown key "mod" (known: path, mode); did you mean mode?',
  );
  assert.is(
    thrown({ path: '/a', mode: '999' }),
    'p.yaml:3:5: "mode" must be an octal file mode such as "0644", got string "999"',
  );
});

Args.run();
