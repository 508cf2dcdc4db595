// fileProbe() run by sh on real files: the facts match Node's own view (type, mode, size, sha256, text content).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { fileProbe, MAX_CONTENT_BYTES, parseFileFacts } from '../../../lib/modules/file-probe.ts';

const dir = mkdtempSync(join(tmpdir(), 'rmqd-probe-'));
const Probe = suite('fileProbe() on real files');
Probe.after(() => rmSync(dir, { recursive: true, force: true }));

const sha = (bytes: string | Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** Runs the probe as the fact script does (eval in a subshell) and parses it. */
function probe(path: string, wantContent = true) {
  const script = fileProbe('f', path, wantContent).script;
  const r = spawnSync('sh', ['-c', `( eval "$1" ) </dev/null`, 'sh', script], { encoding: 'utf8' });
  return parseFileFacts({ stdout: r.stdout, code: r.status ?? -1 }, path, 'h1');
}

Probe('a small text file comes back whole, with the checksum of its bytes', () => {
  const text = 'key=value\nünïcode ✓\n';
  writeFileSync(join(dir, 'small.conf'), text, { mode: 0o640 });
  const facts = probe(join(dir, 'small.conf'));
  assert.ok(facts.exists);
  assert.equal(
    [facts.type, facts.mode, facts.size, facts.sha256, facts.content],
    ['file', '0640', Buffer.byteLength(text), sha(text), text],
  );
});

Probe(
  'binary, large, empty and not-asked-for files: checksum only where content is not kept',
  () => {
    const binary = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]);
    writeFileSync(join(dir, 'bin'), binary);
    const large = 'x'.repeat(MAX_CONTENT_BYTES + 1);
    writeFileSync(join(dir, 'large'), large);
    writeFileSync(join(dir, 'empty'), '');
    const bin = probe(join(dir, 'bin'));
    assert.ok(bin.exists && bin.content === undefined && bin.sha256 === sha(binary), 'binary');
    const big = probe(join(dir, 'large'));
    assert.ok(big.exists && big.content === undefined && big.sha256 === sha(large), 'large');
    const empty = probe(join(dir, 'empty'));
    assert.ok(empty.exists && empty.content === '' && empty.sha256 === sha(''), 'empty');
    const plain = probe(join(dir, 'empty'), false);
    assert.ok(
      plain.exists && plain.content === undefined && plain.sha256 === sha(''),
      'no content',
    );
  },
);

Probe('a folder, a symlink, a missing path and odd names', () => {
  mkdirSync(join(dir, 'a folder'), { mode: 0o750 });
  const folder = probe(join(dir, 'a folder'));
  assert.ok(folder.exists && folder.type === 'directory' && folder.sha256 === undefined);
  assert.is(folder.exists && folder.mode, '0750');
  writeFileSync(join(dir, "it's $(x)"), 'target\n');
  symlinkSync(join(dir, "it's $(x)"), join(dir, 'link'));
  const link = probe(join(dir, 'link'));
  assert.ok(link.exists && link.link === join(dir, "it's $(x)") && link.content === 'target\n');
  assert.equal(probe(join(dir, 'missing', 'x')), { exists: false, parentExists: false });
});

Probe.run();
