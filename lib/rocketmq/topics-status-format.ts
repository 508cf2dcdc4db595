// `status` output: a terminal table within 100 columns (colour only on a TTY) and Prometheus text.
import type { ClusterStatus, MemberStatus } from './topics-status.ts';

const WIDTH = 100;
const paint = (tty: boolean, code: string, text: string): string =>
  tty ? `\u001b[${code}m${text}\u001b[0m` : text;
const fit = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
const num = (n: number | null, digits = 0): string => (n === null ? '-' : n.toFixed(digits));

function bytes(n: number | null): string {
  if (n === null) return '-';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)}${units[u]}`;
}

/** Breaks a long line at spaces (or hard, for a long word) so no line passes WIDTH columns. */
function wrap(line: string, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > WIDTH) {
    const cut = rest.lastIndexOf(' ', WIDTH);
    const at = cut > indent.length ? cut : WIDTH;
    out.push(rest.slice(0, at));
    rest = `${indent}${rest.slice(at).trimStart()}`;
  }
  return [...out, rest];
}

function memberRow(b: MemberStatus): string {
  const sync = b.inSync === null ? '-' : b.inSync ? 'yes' : 'NO';
  const disk =
    b.diskRatio === null
      ? '-'
      : `${Math.round(b.diskRatio * 100)}%/${Math.round(b.writeStopRatio * 100)}%`;
  const reg = b.registered ? 'yes' : 'NO';
  return [
    b.problems.length > 0 ? '!' : ' ',
    fit(b.broker, 10),
    fit(String(b.id), 3),
    fit(b.role ?? 'DOWN', 12),
    fit(b.address, 21),
    fit(b.version ?? '-', 8),
    fit(reg, 4),
    fit(bytes(b.lagBytes), 7),
    fit(sync, 5),
    fit(`${num(b.tpsIn, 1)}/${num(b.tpsOut, 1)}`, 10),
    disk,
  ].join(' ');
}

/** The topics table (empty when the cluster has none to show). */
function topicLines(s: ClusterStatus, bad: (t: string) => string): string[] {
  if (s.topics.length === 0) return [];
  const members = s.brokers.filter((b) => b.declared).length;
  const lines = ['', `  ${'TOPIC'.padEnd(56)} ${'QUEUES'.padEnd(6)} ${'ON'.padEnd(16)} STATE`];
  for (const t of s.topics) {
    const state =
      t.problems.length > 0
        ? 'NOT AS DECLARED'
        : t.declared
          ? t.state === 'absent'
            ? 'absent'
            : 'as declared'
          : 'undeclared';
    const row = `${t.problems.length > 0 ? '!' : ' '} ${fit(t.name, 56)} ${fit(num(t.queues), 6)} ${fit(`${t.on.length} of ${members}`, 16)} ${state}`;
    lines.push(t.problems.length > 0 ? bad(row) : row);
  }
  return lines;
}

/** The consumer groups table (empty when there is none to show). */
function groupLines(s: ClusterStatus, bad: (t: string) => string): string[] {
  if (s.groups.length === 0) return [];
  const lines = ['', `  ${'CONSUMER GROUP'.padEnd(60)} ${'LAG'.padEnd(12)} STATE`];
  for (const g of s.groups) {
    const state =
      g.problems.length > 0 ? 'NOT AS DECLARED' : g.declared ? 'as declared' : 'undeclared';
    const row = `${g.problems.length > 0 ? '!' : ' '} ${fit(g.name, 60)} ${fit(num(g.lag), 12)} ${state}`;
    lines.push(g.problems.length > 0 ? bad(row) : row);
  }
  return lines;
}

/**
 * The human view of a status: brokers, topics, groups, then every problem; at most 100 columns per line.
 * @example formatStatus(status, false).split('\n')[0] // => 'cluster TestCluster (env lab): healthy and as declared'
 */
export function formatStatus(s: ClusterStatus, tty: boolean): string {
  const bad = (t: string): string => paint(tty, '31', t);
  const good = (t: string): string => paint(tty, '32', t);
  const verdict = s.ok
    ? good('healthy and as declared')
    : bad(`NOT healthy or not as declared: ${s.problems.length} problem(s)`);
  const lines = [`cluster ${s.cluster} (env ${s.env}): ${verdict}`];
  lines.push(
    `name servers: ${s.nameservers.map((n) => `${n.address} ${n.up ? 'up' : bad('DOWN')}`).join(', ')}`,
  );
  const head = [
    fit('BROKER', 10),
    'ID ',
    fit('ROLE', 12),
    fit('ADDRESS', 21),
    fit('VERSION', 8),
    'REG ',
    fit('LAG', 7),
    'SYNC ',
    fit('TPS IN/OUT', 10),
    'DISK/STOP',
  ];
  lines.push('', `  ${head.join(' ')}`);
  for (const b of s.brokers) lines.push(b.problems.length > 0 ? bad(memberRow(b)) : memberRow(b));
  lines.push(...topicLines(s, bad));
  lines.push(...groupLines(s, bad));
  if (s.problems.length > 0)
    lines.push('', 'problems:', ...s.problems.flatMap((p) => wrap(`  ! ${p}`, '    ').map(bad)));
  return `${lines.join('\n')}\n`;
}

const label = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (pairs: Record<string, string>): string =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',')}}`;

/** One gauge family: name, help text, and its samples (labels, value; null leaves the sample out). */
type Gauge = [name: string, help: string, rows: Array<[Record<string, string>, number | null]>];

/** A gauge family as exposition lines, every sample with the cluster's labels. */
function gaugeLines([name, help, rows]: Gauge, base: Record<string, string>): string[] {
  const out = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const [l, v] of rows) if (v !== null) out.push(`${name}${labels({ ...base, ...l })} ${v}`);
  return out;
}

const memberLabels = (b: MemberStatus): Record<string, string> => ({
  broker: b.broker,
  id: String(b.id),
  address: b.address,
  role: b.role ?? 'unknown',
});

/** The per-broker families, in the order they are printed: name, help, the member's value. */
const BROKER_GAUGES: Array<[string, string, (b: MemberStatus) => number | null]> = [
  ['rocketmq_status_broker_up', '1 when the broker answered', (b) => (b.up ? 1 : 0)],
  [
    'rocketmq_status_broker_registered',
    '1 when registered on every name server',
    (b) => (b.registered ? 1 : 0),
  ],
  [
    'rocketmq_status_broker_slave_lag_bytes',
    'bytes a slave is behind its master',
    (b) => b.lagBytes,
  ],
  [
    'rocketmq_status_broker_in_sync',
    '1 when the master reports the slave in sync',
    (b) => (b.inSync === null ? null : b.inSync ? 1 : 0),
  ],
  ['rocketmq_status_broker_tps_in', 'messages put per second', (b) => b.tpsIn],
  [
    'rocketmq_status_broker_tps_out',
    'messages transferred to consumers per second',
    (b) => b.tpsOut,
  ],
  [
    'rocketmq_status_broker_disk_ratio',
    'commit log disk use, 0..1 (writes stop at 0.9)',
    (b) => b.diskRatio,
  ],
];

/**
 * The same facts as Prometheus text (node_exporter textfile collector), beside the drift metrics.
 * @example formatStatusMetrics(status).includes('rocketmq_status_ok{') // => true
 */
export function formatStatusMetrics(s: ClusterStatus): string {
  const base = { env: s.env, cluster: s.cluster };
  const gauges: Gauge[] = [
    ['rocketmq_status_ok', '1 when the cluster is healthy and as declared', [[{}, s.ok ? 1 : 0]]],
    [
      'rocketmq_status_problems',
      'problems found by the last status read',
      [[{}, s.problems.length]],
    ],
    [
      'rocketmq_status_nameserver_up',
      '1 when the name server answered',
      s.nameservers.map((n) => [{ address: n.address }, n.up ? 1 : 0]),
    ],
    ...BROKER_GAUGES.map(
      ([name, help, of]): Gauge => [name, help, s.brokers.map((b) => [memberLabels(b), of(b)])],
    ),
    [
      'rocketmq_status_topic_as_declared',
      '1 when the topic is as declared on every broker',
      s.topics
        .filter((t) => t.declared)
        .map((t) => [{ topic: t.name }, t.problems.length === 0 ? 1 : 0]),
    ],
    [
      'rocketmq_status_group_lag',
      'messages not consumed yet by the group',
      s.groups.map((g) => [{ group: g.name }, g.lag]),
    ],
    [
      'rocketmq_status_timestamp_seconds',
      'when this status was read',
      [[{}, Math.floor(Date.parse(s.time) / 1000)]],
    ],
  ];
  return `${gauges.flatMap((g) => gaugeLines(g, base)).join('\n')}\n`;
}
