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
  if (s.topics.length > 0) {
    const members = s.brokers.filter((b) => b.declared).length;
    lines.push('', `  ${'TOPIC'.padEnd(56)} ${'QUEUES'.padEnd(6)} ${'ON'.padEnd(16)} STATE`);
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
  }
  if (s.groups.length > 0) {
    lines.push('', `  ${'CONSUMER GROUP'.padEnd(60)} ${'LAG'.padEnd(12)} STATE`);
    for (const g of s.groups) {
      const state =
        g.problems.length > 0 ? 'NOT AS DECLARED' : g.declared ? 'as declared' : 'undeclared';
      const row = `${g.problems.length > 0 ? '!' : ' '} ${fit(g.name, 60)} ${fit(num(g.lag), 12)} ${state}`;
      lines.push(g.problems.length > 0 ? bad(row) : row);
    }
  }
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

/**
 * The same facts as Prometheus text (node_exporter textfile collector), beside the drift metrics.
 * @example formatStatusMetrics(status).includes('rocketmq_status_ok{') // => true
 */
export function formatStatusMetrics(s: ClusterStatus): string {
  const base = { env: s.env, cluster: s.cluster };
  const out: string[] = [];
  const gauge = (
    name: string,
    help: string,
    rows: Array<[Record<string, string>, number | null]>,
  ): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [l, v] of rows) if (v !== null) out.push(`${name}${labels({ ...base, ...l })} ${v}`);
  };
  const member = (b: MemberStatus): Record<string, string> => ({
    broker: b.broker,
    id: String(b.id),
    address: b.address,
    role: b.role ?? 'unknown',
  });
  gauge('rocketmq_status_ok', '1 when the cluster is healthy and as declared', [
    [{}, s.ok ? 1 : 0],
  ]);
  gauge('rocketmq_status_problems', 'problems found by the last status read', [
    [{}, s.problems.length],
  ]);
  gauge(
    'rocketmq_status_nameserver_up',
    '1 when the name server answered',
    s.nameservers.map((n) => [{ address: n.address }, n.up ? 1 : 0]),
  );
  gauge(
    'rocketmq_status_broker_up',
    '1 when the broker answered',
    s.brokers.map((b) => [member(b), b.up ? 1 : 0]),
  );
  gauge(
    'rocketmq_status_broker_registered',
    '1 when registered on every name server',
    s.brokers.map((b) => [member(b), b.registered ? 1 : 0]),
  );
  gauge(
    'rocketmq_status_broker_slave_lag_bytes',
    'bytes a slave is behind its master',
    s.brokers.map((b) => [member(b), b.lagBytes]),
  );
  gauge(
    'rocketmq_status_broker_in_sync',
    '1 when the master reports the slave in sync',
    s.brokers.map((b) => [member(b), b.inSync === null ? null : b.inSync ? 1 : 0]),
  );
  gauge(
    'rocketmq_status_broker_tps_in',
    'messages put per second',
    s.brokers.map((b) => [member(b), b.tpsIn]),
  );
  gauge(
    'rocketmq_status_broker_tps_out',
    'messages transferred to consumers per second',
    s.brokers.map((b) => [member(b), b.tpsOut]),
  );
  gauge(
    'rocketmq_status_broker_disk_ratio',
    'commit log disk use, 0..1 (writes stop at 0.9)',
    s.brokers.map((b) => [member(b), b.diskRatio]),
  );
  gauge(
    'rocketmq_status_topic_as_declared',
    '1 when the topic is as declared on every broker',
    s.topics
      .filter((t) => t.declared)
      .map((t) => [{ topic: t.name }, t.problems.length === 0 ? 1 : 0]),
  );
  gauge(
    'rocketmq_status_group_lag',
    'messages not consumed yet by the group',
    s.groups.map((g) => [{ group: g.name }, g.lag]),
  );
  gauge('rocketmq_status_timestamp_seconds', 'when this status was read', [
    [{}, Math.floor(Date.parse(s.time) / 1000)],
  ]);
  return `${out.join('\n')}\n`;
}
