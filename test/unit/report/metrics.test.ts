// formatMetrics(): valid Prometheus text exposition (checked by a small parser) with the run's values.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeLabel, formatMetrics } from '../../../lib/report/metrics.ts';
import type { JsonReport } from '../../../lib/report/json.ts';

type Parsed = { name: string; labels: Record<string, string>; value: number };

/** Parses exposition text strictly enough to catch format errors: HELP/TYPE before samples, label syntax, escapes, numbers. */
function parseExposition(text: string): Parsed[] {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const typed = new Set<string>();
  const samples: Parsed[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        assert.ok(['gauge', 'counter'].includes(meta[3] as string), line);
        typed.add(meta[2] as string);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `sample line: ${line}`);
    const [, name, body, value] = sample as RegExpExecArray;
    assert.ok(typed.has(name as string), `TYPE before ${name}`);
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    let rest = body ?? '';
    while (rest !== '') {
      labelRe.lastIndex = 0;
      const m = labelRe.exec(rest);
      assert.ok(m, `labels of ${line}`);
      labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      );
      rest = rest.slice(m[0].length);
    }
    assert.ok(!Number.isNaN(Number(value)), `number in ${line}`);
    samples.push({ name: name as string, labels, value: Number(value) });
  }
  return samples;
}

const result = (
  host: string,
  status: 'ok' | 'changed' | 'failed',
  extra: Partial<JsonReport['results'][number]> = {},
) => ({ host, phase: 'p', task: 't', handler: false, status, changes: [], message: '', ...extra });

const REPORT: JsonReport = {
  playbook: 'site.yaml',
  check: false,
  startedAt: '',
  finishedAt: '',
  exitCode: 6,
  items: [],
  warnings: [],
  proofs: [],
  results: [
    result('broker-a', 'changed', {
      module: 'template',
      cause: 'corrective',
      changes: [
        { item: 'flushDiskType', before: 'SYNC_FLUSH', after: 'ASYNC_FLUSH' },
        { item: 'listenPort' },
      ],
    }),
    result('broker-a', 'changed', { module: 'service', cause: 'intended' }),
    result('broker-a', 'ok'),
    result('broker-"b"\\x', 'failed'),
  ],
  unreachable: [{ host: 'ns1', message: 'refused' }],
  recap: {
    'broker-a': { ok: 1, changed: 2, failed: 0, skipped: 0, unreachable: 0 },
    'broker-"b"\\x': { ok: 0, changed: 0, failed: 1, skipped: 0, unreachable: 0 },
  },
};

const S = suite('formatMetrics() writes valid exposition text with per-host and per-run values');

S('every sample parses; values match the report', () => {
  const samples = parseExposition(
    formatMetrics({ env: 'prod', report: REPORT, finishedAt: 1767225600.4, durationSeconds: 3.21 }),
  );
  const value = (name: string, labels: Record<string, string>) =>
    samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))
      ?.value;
  assert.is(
    value('rocketmq_deploy_drift_items', { env: 'prod', host: 'broker-a', kind: 'template' }),
    2,
  );
  assert.is(
    value('rocketmq_deploy_drift_items', { env: 'prod', host: 'broker-a', kind: 'service' }),
    1,
  );
  assert.is(
    value('rocketmq_deploy_changes', { env: 'prod', host: 'broker-a', cause: 'corrective' }),
    1,
  );
  assert.is(
    value('rocketmq_deploy_changes', { env: 'prod', host: 'broker-a', cause: 'intended' }),
    1,
  );
  assert.is(value('rocketmq_deploy_repairs_total', { env: 'prod', host: 'broker-a' }), 2);
  assert.is(
    value('rocketmq_deploy_failures', { env: 'prod', host: 'broker-"b"\\x' }),
    1,
    'escaped label round-trips',
  );
  assert.is(value('rocketmq_deploy_failures', { env: 'prod', host: 'broker-a' }), 0);
  assert.is(value('rocketmq_deploy_unreachable', { env: 'prod', host: 'ns1' }), 1);
  assert.is(value('rocketmq_deploy_last_run_timestamp_seconds', { env: 'prod' }), 1767225600);
  assert.is(value('rocketmq_deploy_last_run_duration_seconds', { env: 'prod' }), 3.21);
  assert.is(value('rocketmq_deploy_last_run_exit_code', { env: 'prod' }), 6);
});

S('a check run reports drift but no repairs', () => {
  const samples = parseExposition(
    formatMetrics({
      env: 'dev',
      report: { ...REPORT, check: true },
      finishedAt: 0,
      durationSeconds: 0,
    }),
  );
  assert.ok(
    samples.filter((s) => s.name === 'rocketmq_deploy_repairs_total').every((s) => s.value === 0),
  );
  assert.ok(samples.some((s) => s.name === 'rocketmq_deploy_drift_items' && s.value > 0));
});

S('escapeLabel escapes backslash, quote and newline', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
  ];
  for (const [input, expected] of cases) assert.is(escapeLabel(input), expected);
});

S.run();
