// Why a controller-mode group has no master, for messages an operator reads (the broker health gate at its timeout,
// `status`): the name servers' view, the controllers' record from their leader, the diagnosis (controller-diagnosis.ts).
import { diagnoseGroup } from './controller-diagnosis.ts';
import { getClusterInfoFromAny } from './remoting/admin.ts';
import { RemotingClient, type RequestHook } from './remoting/client.ts';
import { readReplicas } from './remoting/controller-replicas.ts';

export interface NoMasterQuestion {
  namesrvs: string[];
  /** The controllers the brokers are given (controllerAddr), any of which names the leader. */
  controllers: string[];
  cluster: string;
  broker: string;
  /** Addresses of the group's members in the inventory. */
  declared: string[];
  hook?: RequestHook | undefined;
  timeoutMs?: number;
}

/**
 * The diagnosis of a group without a master on the name servers: '' when it has one or the trap is not the cause,
 * or a sentence saying the record could not be read.
 * @example await explainNoMaster({ namesrvs, controllers, cluster: 'C', broker: 'broker-b', declared }) // => 'stale controller metadata for broker-b: …'
 */
export async function explainNoMaster(q: NoMasterQuestion): Promise<string> {
  const client = new RemotingClient({ timeoutMs: q.timeoutMs ?? 3000, hook: q.hook });
  try {
    // Name servers that do not answer are said by the caller already (the gate's line, status' own problems).
    const info = await getClusterInfoFromAny(client, q.namesrvs).catch(() => undefined);
    const registered = info?.brokerAddrTable[q.broker]?.brokerAddrs ?? {};
    if (info === undefined || registered['0'] !== undefined) return '';
    const { leader, groups } = await readReplicas(client, q.controllers, [q.broker]);
    return (
      diagnoseGroup({
        broker: q.broker,
        cluster: q.cluster,
        declared: q.declared,
        registered,
        replicas: groups[q.broker],
        leader,
      }) ?? ''
    );
  } catch (err) {
    return `(the controllers' record of ${q.broker} could not be read to say why it has no master: ${(err as Error).message})`;
  } finally {
    client.close();
  }
}
