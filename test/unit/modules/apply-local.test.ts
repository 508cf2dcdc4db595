// File modules for real: probes and actions run by sh against a temp folder; idempotence, byte-exact writes, safe failures.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { modules } from '../../../lib/modules/index.ts';
import { quote } from '../../../lib/shared/shell.ts';
import type { Action, Plan, PlanContext, ProbeResult, Vars } from '../../../lib/shared/types.ts';

const where = { file: 'playbooks/apply.yaml', line: 1, col: 1 };
const validateCtx = {
  host: 'local',
  vars: {},
  renderFile: (src: string) => src,
  resolveFile: (src: string) => src,
};
const run = { host: 'local', check: false, diff: false };

function sh(script: string, stdin?: string | Uint8Array): ProbeResult & { stderr: string } {
  const r = spawnSync('sh', ['-c', script], { input: stdin ?? '', encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Validates, probes for real and plans, exactly as the executor will. */
function planTask(moduleName: string, raw: Vars, ctx: PlanContext = run): Plan {
  const module = modules.get(moduleName);
  if (!module) throw new Error(`no module ${moduleName}`);
  const args = module.validate(raw, where, validateCtx);
  const facts = new Map(module.probes(args, ctx).map((p) => [p.id, sh(p.script)] as const));
  return module.plan(args, facts, ctx);
}

/** Runs every action; returns the first failure's stderr, or undefined when all succeeded. */
function apply(plan: Plan): string | undefined {
  for (const action of plan.actions as Action[]) {
    const r = sh(action.script, action.stdin);
    if (r.code !== 0) return `${action.describe}: exit ${r.code}: ${r.stderr}`;
  }
  return undefined;
}

/** Plans, applies, and re-plans: the second plan must have nothing to do. */
function converge(moduleName: string, raw: Vars): Plan {
  const first = planTask(moduleName, raw);
  assert.is(first.failure, undefined);
  assert.ok(first.actions.length > 0, 'the first run has work');
  assert.is(apply(first), undefined);
  const second = planTask(moduleName, raw);
  assert.equal(second.actions, [], `second plan is empty, got ${JSON.stringify(second.changes)}`);
  assert.ok(second.reason);
  return first;
}

const modeOf = (path: string): string =>
  (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');
const tempsIn = (dir: string): string[] =>
  readdirSync(dir).filter((n) => n.startsWith('.rocketmq-deploy.'));
const root = mkdtempSync(join(tmpdir(), 'rmq-apply-'));

const Copy = suite('copy plan() + atomic write converge on a real folder');

Copy('writes a new file with its mode, then has nothing to do', () => {
  const dest = join(root, 'broker.properties');
  converge('copy', { dest, content: 'brokerId=0\n', mode: '0640' });
  assert.is(readFileSync(dest, 'utf8'), 'brokerId=0\n');
  assert.is(modeOf(dest), '0640');
  assert.equal(tempsIn(root), []);
});

Copy(
  'content with quotes, $(), backquotes, newlines and no final newline arrives byte-exact',
  () => {
    const dest = join(root, 'tricky.txt');
    const content = `it's "q" $(touch ${root}/pwned) \`id\` \\n\n\n  tab\there\r\nü 名字 no newline`;
    converge('copy', { dest, content });
    assert.is(readFileSync(dest, 'utf8'), content);
    assert.not.ok(existsSync(join(root, 'pwned')), 'nothing in the content ran');
  },
);

Copy('a mode-only difference is fixed without rewriting the content', () => {
  const dest = join(root, 'mode-only.conf');
  writeFileSync(dest, 'x\n', { mode: 0o600 });
  const plan = converge('copy', { dest, content: 'x\n', mode: '0644' });
  assert.equal(plan.changes, [{ item: 'mode', before: '0600', after: '0644' }]);
  assert.is(modeOf(dest), '0644');
});

Copy('a failure mid-write (chown to a missing user) leaves the old file and no temp file', () => {
  const dest = join(root, 'keep.conf');
  writeFileSync(dest, 'old\n');
  const plan = planTask('copy', { dest, content: 'new\n', owner: 'no-such-user-rmqdeploy' });
  assert.match(apply(plan) ?? '', 'no-such-user-rmqdeploy');
  assert.is(readFileSync(dest, 'utf8'), 'old\n');
  assert.equal(tempsIn(root), []);
});

Copy('check+diff mode fetches the old text and names changed properties keys', () => {
  const dest = join(root, 'broker-a.properties');
  writeFileSync(dest, 'brokerName=broker-a\nflushDiskType=ASYNC_FLUSH\n# é\n');
  const plan = planTask(
    'copy',
    { dest, content: 'brokerName=broker-a\nflushDiskType=SYNC_FLUSH\n# é\n' },
    { host: 'local', check: true, diff: true },
  );
  assert.equal(plan.changes, [
    { item: 'flushDiskType', before: 'ASYNC_FLUSH', after: 'SYNC_FLUSH' },
  ]);
  assert.is(plan.diff?.before, 'brokerName=broker-a\nflushDiskType=ASYNC_FLUSH\n# é\n');
});

/** [what the link points to, the content it already shows] for dests replaced by a regular file. */
const LINKS: Array<[string, 'file' | 'folder', string]> = [
  ['a file outside the managed path, other content', 'file', 'old\n'],
  ['a file outside the managed path, same content', 'file', 'new\n'],
  ['a folder', 'folder', ''],
];
for (const [name, kind, shown] of LINKS) {
  Copy(
    `a symlink at dest to ${name} is drift, replaced by a regular file; the target is never written`,
    () => {
      const target = join(mkdtempSync(join(tmpdir(), 'rmq-outside-')), 'real.conf');
      if (kind === 'file') writeFileSync(target, shown);
      else mkdirSync(target);
      const link = join(root, `link-${LINKS.findIndex((l) => l[0] === name)}.conf`);
      symlinkSync(target, link);
      const plan = converge('copy', { dest: link, content: 'new\n' });
      assert.equal(plan.changes[0], {
        item: 'file',
        before: `is a symlink to ${target}`,
        after: 'regular file',
      });
      assert.ok(lstatSync(link).isFile(), 'the link became a regular file');
      assert.is(readFileSync(link, 'utf8'), 'new\n');
      if (kind === 'file')
        assert.is(readFileSync(target, 'utf8'), shown, 'the target is untouched');
      else assert.equal(readdirSync(target), [], 'nothing was moved into the folder');
    },
  );
}

Copy("lineinfile edits a symlink's target and keeps the link (as Ansible's lineinfile)", () => {
  const target = join(root, 'edited-real.conf');
  const link = join(root, 'edited-link.conf');
  writeFileSync(target, 'a=1\n');
  symlinkSync(target, link);
  converge('lineinfile', { path: link, regexp: '^a=', line: 'a=2' });
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.is(readFileSync(target, 'utf8'), 'a=2\n');
});

Copy('a bind-mounted file (as in containers and lab hosts) is written in place', () => {
  const source = join(root, 'mounted-source');
  const dest = join(root, 'mounted-hosts');
  writeFileSync(source, 'old\n');
  writeFileSync(dest, 'other\n');
  // Needs root for a private mount namespace; elsewhere there is nothing to test.
  if (sh('unshare -m true').code !== 0) return;
  const plan = planTask('copy', { dest, content: 'new\n' });
  const action = plan.actions[0];
  assert.ok(action);
  const inNamespace = `mount --bind ${quote(source)} ${quote(dest)} || exit 1\n${action.script}`;
  const r = sh(`unshare -m sh -c ${quote(inNamespace)}`, action.stdin);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(source, 'utf8'), 'new\n');
  assert.equal(tempsIn(root), []);
});

Copy.run();

const Edit = suite('blockinfile/lineinfile plan() edit only their part of a real file');

Edit('blockinfile adds, then changes its block; other lines stay byte-exact', () => {
  const path = join(root, 'hosts');
  const others = '127.0.0.1   localhost  \n\t# tabbed comment\n::1 localhost';
  writeFileSync(path, others);
  converge('blockinfile', { path, block: '10.0.0.1 ns1\n10.0.0.2 broker-a' });
  const begin = '# BEGIN ROCKETMQ-DEPLOY MANAGED BLOCK';
  const end = '# END ROCKETMQ-DEPLOY MANAGED BLOCK';
  assert.is(
    readFileSync(path, 'utf8'),
    `${others}\n${begin}\n10.0.0.1 ns1\n10.0.0.2 broker-a\n${end}\n`,
  );
  writeFileSync(path, `${readFileSync(path, 'utf8')}# added later\n`);
  converge('blockinfile', { path, block: '10.0.0.1 ns1' });
  assert.is(
    readFileSync(path, 'utf8'),
    `${others}\n${begin}\n10.0.0.1 ns1\n${end}\n# added later\n`,
  );
});

Edit('blockinfile with create makes the file and its folder', () => {
  const path = join(root, 'new-dir', 'sub', 'hosts');
  converge('blockinfile', { path, block: 'x', mode: '0600' });
  assert.is(modeOf(path), '0600');
});

Edit('lineinfile replaces the matching line and keeps the file mode', () => {
  const path = join(root, 'sysctl.conf');
  writeFileSync(path, 'a=1\nvm.max_map_count=65530\nb=2\n', { mode: 0o640 });
  converge('lineinfile', { path, regexp: '^vm\\.max_map_count=', line: 'vm.max_map_count=655360' });
  assert.is(readFileSync(path, 'utf8'), 'a=1\nvm.max_map_count=655360\nb=2\n');
  assert.is(modeOf(path), '0640');
});

Edit.run();

const Other = suite('file and command plan() converge on a real folder');

Other('file creates a folder with its mode, then removes it', () => {
  const path = join(root, 'store', 'commitlog');
  converge('file', { path, state: 'directory', mode: '0750' });
  assert.is(modeOf(path), '0750');
  writeFileSync(join(path, 'x'), 'x');
  converge('file', { path, state: 'absent' });
  assert.not.ok(existsSync(path));
});

Other('command with creates runs once; env and chdir reach it', () => {
  const dir = join(root, 'cmd');
  mkdirSync(dir);
  const raw = {
    cmd: 'printf "%s" "$GREETING" > marker',
    chdir: dir,
    creates: 'marker',
    env: { GREETING: "it's $(x)" },
  };
  converge('command', raw);
  assert.is(readFileSync(join(dir, 'marker'), 'utf8'), "it's $(x)");
});

Other.after(() => rmSync(root, { recursive: true, force: true }));
Other.run();
