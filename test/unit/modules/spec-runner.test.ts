// Module specs: each test/specs/modules/<module>/<case>.json validates arguments and plans from canned probe output.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../../../lib/shared/errors.ts';
import { modules } from '../../../lib/modules/index.ts';
import type {
  PlanContext,
  Probe,
  ProbeResult,
  ValidateContext,
  Vars,
} from '../../../lib/shared/types.ts';

/** A file as a spec describes it; turned into what fileProbe() would print. */
interface FileShorthand {
  missing?: boolean;
  parent?: boolean;
  type?: 'file' | 'directory';
  content?: string;
  binary?: boolean;
  mode?: string;
  owner?: string;
  group?: string;
}

interface Spec {
  args: Vars;
  ctx?: { check?: boolean; diff?: boolean };
  templates?: Record<string, string>;
  /** What the module's prepare() fills in on the controller (it reads files or the network), merged into the args. */
  prepared?: Vars;
  facts?: Record<string, ProbeResult | { file: FileShorthand }>;
  expect: {
    error?: string;
    actions?: number | string[];
    changes?: unknown[];
    reason?: string;
    failure?: string;
    diff?: { before: string; after: string };
    /** Per probe id: the exact script the fact round trip runs, or its key lines (whole lines, in order). */
    probes?: Record<string, string | { lines: string[] }>;
    /** Per action, in order: the exact script, its key lines (whole lines, in order), or null to skip it. */
    scripts?: Array<string | { lines: string[] } | null>;
    /** Per action, in order: the exact text it sends on stdin (a written file's content), or null to skip it. */
    stdin?: Array<string | null>;
  };
}

const specsDir = fileURLToPath(new URL('../../specs/modules/', import.meta.url));
const where = { file: 'playbooks/spec.yaml', line: 3, col: 5 };

/** Prints what fileProbe() prints for the described file; content only when the probe asks for it. */
function fileStdout(f: FileShorthand, probeScript: string): string {
  if (f.missing) return `exists=0\nparent=${f.parent === false ? 0 : 1}\n`;
  const text = f.content ?? '';
  const size = Buffer.byteLength(text);
  const type =
    f.type === 'directory' ? 'directory' : size === 0 ? 'regular empty file' : 'regular file';
  const ids = `owner=${f.owner ?? 'root'}\ngroup=${f.group ?? 'root'}\nuid=0\ngid=0`;
  let out = `exists=1\ntype=${type}\nmode=${(f.mode ?? '0644').replace(/^0/, '')}\n${ids}\nsize=${size}\n`;
  if (f.type === 'directory') return out;
  out += `sha256=${createHash('sha256').update(text).digest('hex')}\n`;
  if (!f.binary && probeScript.includes('content='))
    out += `content=${Buffer.from(text).toString('base64')}\n`;
  return out;
}

function factsFor(spec: Spec, probes: Map<string, string>): Map<string, ProbeResult> {
  const facts = new Map<string, ProbeResult>();
  for (const [id, value] of Object.entries(spec.facts ?? {})) {
    const script = probes.get(id);
    if (script === undefined)
      throw new Error(
        `facts name probe "${id}" but the module's probes are: ${[...probes.keys()].join(', ')}`,
      );
    facts.set(id, 'file' in value ? { stdout: fileStdout(value.file, script), code: 0 } : value);
  }
  return facts;
}

const validateContext = (spec: Spec): ValidateContext => ({
  host: 'h1',
  vars: {},
  renderFile(src) {
    const text = spec.templates?.[src];
    if (text === undefined) throw new TemplateError(`template "${src}" not found`);
    return text;
  },
  resolveFile: (src) => src,
});

/** Asserts one script a module would run: the exact text, or key lines (whole lines) found in order. */
function assertScript(got: string, want: string | { lines: string[] }, what: string): void {
  if (typeof want === 'string') {
    assert.fixture(got, want, what);
    return;
  }
  const lines = got.split('\n');
  let at = 0;
  for (const line of want.lines) {
    const found = lines.indexOf(line, at);
    assert.ok(
      found >= 0,
      `${what} lacks the line ${JSON.stringify(line)} after line ${at}:\n${got}`,
    );
    at = found + 1;
  }
}

/** Asserts what a plan would run on the host, as pyinfra's operation tests do: one entry per action, null skips one. */
function assertScripts(scripts: string[], expected: NonNullable<Spec['expect']['scripts']>): void {
  assert.is(
    scripts.length,
    expected.length,
    `one expected script per action: ${JSON.stringify(scripts)}`,
  );
  for (const [i, want] of expected.entries()) {
    if (want !== null) assertScript(scripts[i] as string, want, `script of action ${i + 1}`);
  }
}

function assertProbes(probes: Probe[], expected: NonNullable<Spec['expect']['probes']>): void {
  for (const [id, want] of Object.entries(expected)) {
    const probe = probes.find((p) => p.id === id);
    assert.ok(probe, `no probe "${id}" (probes: ${probes.map((p) => p.id).join(', ')})`);
    assertScript(probe.script, want, `probe "${id}"`);
  }
}

function runSpec(moduleName: string, spec: Spec): void {
  const module = modules.get(moduleName);
  assert.ok(module, `no module "${moduleName}"`);
  if (spec.expect.error !== undefined) {
    // Argument errors point at the task; template errors carry the template's own place instead.
    const pointsAtTask = (e: Error) =>
      e instanceof TemplateError || e.message.includes('playbooks/spec.yaml:3:5');
    assert.throws(
      () => module.validate(spec.args, where, validateContext(spec)),
      (e: Error) => e.message.includes(spec.expect.error ?? '') && pointsAtTask(e),
    );
    return;
  }
  const ctx: PlanContext = {
    host: 'h1',
    check: spec.ctx?.check ?? false,
    diff: spec.ctx?.diff ?? false,
  };
  const validated = module.validate(spec.args, where, validateContext(spec)) as Record<
    string,
    unknown
  >;
  const args = { ...validated, ...spec.prepared };
  const probes = module.probes(args, ctx);
  if (spec.expect.probes) assertProbes(probes, spec.expect.probes);
  assert.is(new Set(probes.map((p) => p.id)).size, probes.length, 'probe ids are unique');
  const plan = module.plan(args, factsFor(spec, new Map(probes.map((p) => [p.id, p.script]))), ctx);
  const { expect } = spec;
  if (typeof expect.actions === 'number')
    assert.is(plan.actions.length, expect.actions, JSON.stringify(plan));
  if (Array.isArray(expect.actions))
    assert.equal(
      plan.actions.map((a) => a.describe),
      expect.actions,
    );
  if (expect.changes) assert.equal(plan.changes, expect.changes);
  if (expect.reason !== undefined) assert.match(plan.reason ?? '', expect.reason);
  if (expect.failure !== undefined) assert.match(plan.failure ?? '', expect.failure);
  else assert.is(plan.failure, undefined, 'no failure');
  if (expect.scripts)
    assertScripts(
      plan.actions.map((a) => a.script),
      expect.scripts,
    );
  if (expect.stdin) {
    const text = (s?: string | Uint8Array) =>
      s instanceof Uint8Array ? Buffer.from(s).toString('utf8') : s;
    const sent = plan.actions.map((a) => text(a.stdin));
    assert.is(sent.length, expect.stdin.length, 'one expected stdin per action');
    expect.stdin.forEach((want, i) => {
      if (want !== null) assert.fixture(sent[i] ?? '(no stdin)', want, `stdin of action ${i + 1}`);
    });
  }
  if (expect.diff)
    assert.equal(plan.diff && { before: plan.diff.before, after: plan.diff.after }, expect.diff);
  // A plan that does nothing must say why (style rule 11).
  if (plan.actions.length === 0 && !plan.failure)
    assert.ok(plan.reason, 'a no-action plan has a reason');
}

const S = suite('Module.plan() matches each JSON spec of test/specs/modules');
for (const moduleName of readdirSync(specsDir).sort()) {
  for (const file of readdirSync(join(specsDir, moduleName))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const spec = JSON.parse(readFileSync(join(specsDir, moduleName, file), 'utf8')) as Spec;
    S(`${moduleName}/${file}`, () => runSpec(moduleName, spec));
  }
}
S.run();
