// What Verify proved, as a Proof: the brokers clusterList listed (role, address, version) and the message round trip.
import type { ClusterBroker } from '../rocketmq/cluster-list.ts';
import type { Proof } from '../shared/types.ts';

/** What a verify run is about: the cluster, the name servers it asks, the brokers it expects, the messages it sends. */
export interface VerifyTarget {
  namesrv: string;
  cluster: string;
  expect: Array<{ broker: string; id?: number; addr: string }>;
  messages: number;
  topic: string;
}

// No id: controller mode, where the controller elects the master (role known only at run time).
const role = (id: number | undefined): string =>
  id === undefined ? 'master or slave (elected)' : id === 0 ? 'master' : 'slave';

/**
 * The proof of a verify that ran: every broker row of the cluster as clusterList printed it, and the round trip.
 * @param received messages received back, or undefined when none were sent
 * @example clusterProof(target, rows, 1000).lines[0] // => 'clusterList -n 10.0.0.1:9876: cluster C, 4 brokers'
 */
export function clusterProof(
  target: VerifyTarget,
  rows: ClusterBroker[],
  received?: number,
): Proof {
  const brokers = rows
    .filter((r) => r.cluster === target.cluster)
    .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.brokerId - b.brokerId)
    .map((r) => ({
      broker: r.brokerName,
      id: r.brokerId,
      role: role(r.brokerId),
      addr: r.addr,
      version: r.version,
    }));
  const lines = [
    `clusterList -n ${target.namesrv}: cluster ${target.cluster}, ${brokers.length} broker${brokers.length === 1 ? '' : 's'}`,
    ...brokers.map(
      (b) => `  ${b.broker} id ${b.id} ${b.role} at ${b.addr}${b.version ? ` ${b.version}` : ''}`,
    ),
  ];
  const data: Record<string, unknown> = {
    checked: true,
    namesrv: target.namesrv,
    cluster: target.cluster,
    brokers,
  };
  if (received !== undefined) {
    lines.push(
      `${received}/${target.messages} messages sent and received back (topic ${target.topic})`,
    );
    data.messages = { topic: target.topic, sent: target.messages, received };
  }
  return { lines, data };
}

/**
 * Check mode starts no JVM: the proof says what a run would check instead, and that nothing was checked.
 * @example checkModeProof(target).lines[0] // => 'not checked in check mode (no JVM started); a run would check:'
 */
export function checkModeProof(target: VerifyTarget): Proof {
  const lines = [
    'not checked in check mode (no JVM started); a run would check:',
    `  clusterList -n ${target.namesrv} lists cluster ${target.cluster} with exactly:`,
    ...target.expect.map(
      (e) => `    ${e.broker}${e.id === undefined ? '' : ` id ${e.id}`} ${role(e.id)} at ${e.addr}`,
    ),
  ];
  if (target.messages > 0)
    lines.push(`  ${target.messages} messages sent and received back (topic ${target.topic})`);
  const data = {
    checked: false,
    namesrv: target.namesrv,
    cluster: target.cluster,
    expected: target.expect.map((e) => ({ ...e, role: role(e.id) })),
    messages: { topic: target.topic, count: target.messages },
  };
  return { lines, data };
}
