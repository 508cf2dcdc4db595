// readYaml()/parseYaml(): data with positions, and syntax errors that point at file:line:col.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../../lib/shared/errors.ts';
import { parseYaml, readYaml } from '../../../lib/load/yaml.ts';
import { thrown } from './tmp-tree.ts';

const Parse = suite('parseYaml() rejects invalid YAML with file:line:col in plain words');

const BROKEN: Array<[string, string]> = [
  ['a: 1\nb: 2\na: 3\n', 'x.yaml:3:1: invalid YAML: duplicate key "a"'],
  ['a:\n  b: 1\n c: 2\n', 'x.yaml:3:1: invalid YAML: wrong indentation'],
  ['x: "open\n', 'x.yaml:2:1: invalid YAML: missing character'],
  [
    'k: {{ v }}\n',
    'x.yaml:1:5: invalid YAML: a mapping or list is used as a key; quote values that start with "{{"',
  ],
  ['a: *nowhere\n', 'x.yaml:1:1: invalid YAML: Unresolved alias'],
];

Parse('each broken text gives a ConfigError starting with its place and cause', () => {
  for (const [text, expected] of BROKEN) {
    const err = thrown(() => parseYaml(text, 'x.yaml'));
    assert.instance(err, ConfigError, JSON.stringify(text));
    assert.ok(
      err.message.startsWith(expected),
      `${JSON.stringify(text)}\nexpected: ${expected}\nactual:   ${err.message}`,
    );
  }
});

Parse('the ConfigError carries the position as data too', () => {
  const err = thrown(() => parseYaml('a: 1\na: 2\n', 'd.yaml')) as ConfigError;
  assert.equal(err.where, { file: 'd.yaml', line: 2, col: 1 });
});

Parse.run();

const Locate = suite('parseYaml().locate() points at values, keys and nearest parents');

const TEXT =
  'phases:\n  - hosts: all\n    tasks:\n      - name: one\n        file:\n      - servce: {}\n';
const PLACES: Array<[Array<string | number>, 'value' | 'key', [number, number]]> = [
  [['phases', 0, 'hosts'], 'value', [2, 12]],
  [['phases', 0, 'hosts'], 'key', [2, 5]],
  [['phases', 0, 'tasks', 1, 'servce'], 'key', [6, 9]],
  [['phases', 0, 'tasks', 0, 'file'], 'value', [5, 9]],
  [['phases', 0, 'missing', 3], 'value', [2, 5]],
  [['phases', 9], 'value', [2, 3]],
  [[], 'value', [1, 1]],
];

Locate('each path resolves to the expected line:col', () => {
  const y = parseYaml(TEXT, 'p.yaml');
  for (const [path, kind, [line, col]] of PLACES) {
    const where = kind === 'key' ? y.locateKey(path) : y.locate(path);
    assert.equal(where, { file: 'p.yaml', line, col }, `${kind} of ${JSON.stringify(path)}`);
  }
});

Locate('data is plain JavaScript', () => {
  assert.equal(parseYaml(TEXT, 'p.yaml').data, {
    phases: [{ hosts: 'all', tasks: [{ name: 'one', file: null }, { servce: {} }] }],
  });
});

Locate.run();

const Read = suite('readYaml() names a missing file and what to do');

Read('a missing file is a ConfigError naming the file', () => {
  const err = thrown(() => readYaml('/nonexistent/hosts.yaml'));
  assert.instance(err, ConfigError);
  assert.is(
    err.message,
    'cannot read "/nonexistent/hosts.yaml": no such file; create it or check the path',
  );
});

Read.run();
