// Secrets from files (owner-only, outside any git work tree) or the environment; refusals never show the secret.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { secretValues } from '../../../lib/report/redact.ts';
import { readSecretEnv, readSecretFile } from '../../../lib/load/secret-source.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';

const S = suite('secret_file and secret_env');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-secret-'));
const SECRET = 'Xy7-secret-value';

function file(name: string, mode: number, text = `${SECRET}\n`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const modes: Array<[number, string | undefined]> = [
  [0o600, undefined],
  [0o400, undefined],
  [0o640, 'mode 0640 lets group or others in; run chmod 600 on it'],
  [0o604, 'mode 0604 lets group or others in; run chmod 600 on it'],
  [0o644, 'mode 0644 lets group or others in'],
];
for (const [mode, refusal] of modes) {
  S(`a file of mode ${mode.toString(8)} is ${refusal ? 'refused' : 'read'}`, () => {
    const path = file(`m${mode.toString(8)}`, mode);
    if (refusal === undefined) {
      assert.is(readSecretFile(path), SECRET);
      return;
    }
    const err = (() => {
      try {
        readSecretFile(path);
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    assert.ok(err?.message.includes(refusal), err?.message);
    assert.not.ok(err?.message.includes(SECRET));
  });
}

const refused: Array<[string, () => string, string]> = [
  ['a relative path', () => 'admin.secret', 'give an absolute path'],
  ['a missing file', () => join(dir, 'nope'), 'cannot read it (ENOENT)'],
  ['an empty file', () => file('empty', 0o600, '\n'), 'the file is empty'],
  [
    'a file inside a git work tree',
    () => {
      mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
      const path = join(dir, 'repo', 'inventory', 'admin.secret');
      mkdirSync(join(dir, 'repo', 'inventory'));
      writeFileSync(path, SECRET, { mode: 0o600 });
      return path;
    },
    `inside the git work tree ${join(dir, 'repo')}`,
  ],
];
for (const [name, path, message] of refused) {
  S(`${name} is refused`, () => {
    assert.throws(
      () => readSecretFile(path()),
      (e: Error) => e.message.includes(message) && !e.message.includes(SECRET),
    );
  });
}

S("secret_env reads the run's environment; unset or empty is refused by name", () => {
  assert.is(readSecretEnv('RMQD_T', { RMQD_T: SECRET }), SECRET);
  assert.throws(() => readSecretEnv('RMQD_T', {}), /environment variable RMQD_T is not set/);
  assert.throws(() => readSecretEnv('RMQD_T', { RMQD_T: '' }), /RMQD_T is not set/);
});

S('inventory variables resolve through the helpers, and the redactor collects the values', () => {
  const path = file('admin', 0o600);
  process.env.RMQD_SECRET_SOURCE_TEST = 'env-secret-42';
  try {
    const vars = resolveVars({
      rocketmq_acl_admin_secret: `{{secret_file '${path}'}}`,
      rocketmq_users: [
        { name: 'alice', secret: "{{secret_env 'RMQD_SECRET_SOURCE_TEST'}}", type: 'Normal' },
      ],
    });
    assert.is(vars.rocketmq_acl_admin_secret, SECRET);
    assert.equal(secretValues(vars).sort(), [SECRET, 'env-secret-42'].sort());
  } finally {
    delete process.env.RMQD_SECRET_SOURCE_TEST;
  }
});

S.after(() => rmSync(dir, { recursive: true, force: true }));
S.run();
