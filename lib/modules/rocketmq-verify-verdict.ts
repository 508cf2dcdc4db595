// What rocketmq_verify's answers mean: clusterList rows against the declared brokers, MessageCheck's round trip.
import type { ClusterBroker } from '../rocketmq/cluster-list.ts';
import type { ExpectedBroker } from './rocketmq-verify.ts';

/** Each declared broker with a fixed id: registered under it, at its address, and a master ACTIVATED. */
function declaredIdProblems(rows: ClusterBroker[], expect: ExpectedBroker[]): string[] {
  const problems: string[] = [];
  for (const want of expect) {
    if (want.id === undefined) continue;
    const row = rows.find((r) => r.brokerName === want.broker && r.brokerId === want.id);
    if (!row)
      problems.push(`${want.broker} id ${want.id} is not registered (expected at ${want.addr})`);
    else if (row.addr !== want.addr)
      problems.push(
        `${want.broker} id ${want.id} is registered at ${row.addr}, expected ${want.addr} (check brokerIP1 and listenPort)`,
      );
    else if (want.id === 0 && row.activated === false)
      problems.push(`${want.broker} master at ${row.addr} is not ACTIVATED`);
  }
  return problems;
}

/** Registered brokers the inventory does not declare (by id, or by address where the controller assigns ids). */
function unexpectedRows(
  rows: ClusterBroker[],
  cluster: string,
  expect: ExpectedBroker[],
): string[] {
  const declared = (row: ClusterBroker): boolean =>
    expect.some(
      (w) =>
        w.broker === row.brokerName &&
        (w.id === undefined ? w.addr === row.addr : w.id === row.brokerId),
    );
  return rows
    .filter((row) => !declared(row))
    .map(
      (row) =>
        `unexpected broker ${row.brokerName} id ${row.brokerId} at ${row.addr} is registered in ${cluster}`,
    );
}

/**
 * Compares clusterList rows of the cluster with the declared brokers; returns one sentence per difference.
 * @example brokerProblems(rows, 'TestCluster', [{ broker: 'broker-a', id: 1, addr: '10.0.0.2:10911' }]) // => ['broker-a id 1 is not registered (expected at 10.0.0.2:10911)']
 */
export function brokerProblems(
  rows: ClusterBroker[],
  cluster: string,
  expect: ExpectedBroker[],
): string[] {
  const inCluster = rows.filter((r) => r.cluster === cluster);
  if (inCluster.length === 0) {
    const others = [...new Set(rows.map((r) => r.cluster))];
    return [
      `cluster ${cluster} has no broker registered${others.length ? ` (registered clusters: ${others.join(', ')})` : ''}`,
    ];
  }
  const assigned = expect.filter((w) => w.id === undefined);
  return [
    ...(assigned.length > 0 ? assignedIdProblems(inCluster, assigned) : []),
    ...declaredIdProblems(inCluster, expect),
    ...unexpectedRows(inCluster, cluster, expect),
  ];
}

/** Controller mode: each declared address registered under its group (any id), and one ACTIVATED master (id 0) per group. */
function assignedIdProblems(rows: ClusterBroker[], expect: ExpectedBroker[]): string[] {
  const problems: string[] = [];
  for (const want of expect) {
    if (!rows.some((r) => r.brokerName === want.broker && r.addr === want.addr))
      problems.push(`${want.broker} at ${want.addr} is not registered`);
  }
  for (const group of new Set(expect.map((w) => w.broker))) {
    const masters = rows.filter((r) => r.brokerName === group && r.brokerId === 0);
    if (masters.length === 0)
      problems.push(
        `${group} has no master (no member registered with id 0): the controller has not elected one`,
      );
    else if (masters[0]!.activated === false)
      problems.push(`${group} master at ${masters[0]!.addr} is not ACTIVATED`);
  }
  return problems;
}

interface CheckLine {
  mode?: string;
  error?: string;
  sent?: number;
  notAcked?: number;
  received?: number;
  missing?: number[];
  missingCount?: number;
}

/** Reads MessageCheck's JSON lines into one verdict: a problem sentence, or the received count. */
export function messageVerdict(
  text: string,
  count: number,
): { problem?: string; received?: number } {
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CheckLine);
  const error = lines.find((l) => l.error !== undefined);
  if (error) return { problem: `MessageCheck failed: ${error.error}` };
  const send = lines.find((l) => l.mode === 'send');
  const receive = lines.find((l) => l.mode === 'receive');
  if (!send || !receive)
    return {
      problem: `MessageCheck printed no result (output: ${text.trim().slice(0, 300) || 'none'})`,
    };
  if ((send.notAcked ?? 0) > 0)
    return { problem: `${send.notAcked} of ${count} messages were not acknowledged with SEND_OK` };
  if ((receive.missingCount ?? 0) > 0) {
    return {
      problem: `${receive.missingCount} of ${count} messages missing after sending (first missing: ${(receive.missing ?? []).join(', ')})`,
    };
  }
  return { received: receive.received ?? 0 };
}
