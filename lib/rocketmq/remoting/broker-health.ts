// brokerHealth(): BrokerHealth.java's answer without a JVM: cluster info from a name server, the master's HA state
// when the check needs it, the verdict from health.ts, asked again every 2 s while --wait allows.
import { getBrokerHaStatus, getClusterInfoFromAny } from './admin.ts';
import { RemotingClient, type RequestHook } from './client.ts';
import { check, type HealthQuery, HealthUsageError, members, needsMasterHa } from './health.ts';

export interface BrokerHealthOptions {
  /** Per request; default 5000 ms (DefaultMQAdminExt(5000) in BrokerHealth.java). */
  timeoutMs?: number;
  /** Ask again every 2 s until the check passes or this many seconds have passed (BrokerHealth --wait). */
  waitSeconds?: number;
  hook?: RequestHook;
  /** Injected clock and sleep for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** BrokerHealth.java's result: 0 healthy ("ok"), 1 not (the line says what is missing), 2 usage or connection error. */
export interface HealthVerdict {
  code: 0 | 1 | 2;
  line: string;
}

/** "a:9876;b:9876" (the namesrvAddr form) or a list, to a list without blanks. */
export function splitNamesrvs(namesrvs: string | string[]): string[] {
  const list = Array.isArray(namesrvs) ? namesrvs : namesrvs.split(';');
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

/** One look: fetches what the check needs and returns the reason it fails, or null. */
export async function checkOnce(
  client: RemotingClient,
  namesrvs: string[],
  q: HealthQuery,
): Promise<string | null> {
  const info = await getClusterInfoFromAny(client, namesrvs);
  const ha = needsMasterHa(q, info)
    ? await getBrokerHaStatus(client, members(info, q.broker).get(0)!)
    : undefined;
  return check(q, info, ha);
}

/**
 * The health check of one broker instance, as BrokerHealth.java answers it (same verdicts, same lines, same codes).
 * @example await brokerHealth('10.0.0.9:9876', { mode: 'in-sync', broker: 'broker-a', id: 1 })
 *   // => { code: 0, line: 'ok' }
 */
export async function brokerHealth(
  namesrvs: string | string[],
  q: HealthQuery,
  opts: BrokerHealthOptions = {},
): Promise<HealthVerdict> {
  const list = splitNamesrvs(namesrvs);
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const client = new RemotingClient({ timeoutMs: opts.timeoutMs ?? 5000, hook: opts.hook });
  try {
    if (list.length === 0) throw new HealthUsageError('missing --namesrv');
    // A name server may drop a quickly restarted broker when the old connection's close arrives after the new
    // registration; it is back at the next one (every 30 s). Hence the waiting, as in BrokerHealth.java.
    const deadline = now() + 1000 * (opts.waitSeconds ?? 0);
    let verdict = await checkOnce(client, list, q);
    while (verdict !== null && now() < deadline) {
      await sleep(2000);
      verdict = await checkOnce(client, list, q);
    }
    return verdict === null ? { code: 0, line: 'ok' } : { code: 1, line: verdict };
  } catch (err) {
    if (err instanceof HealthUsageError) return { code: 2, line: err.message };
    return { code: 2, line: `cannot ask RocketMQ (${list.join(';')}): ${(err as Error).message}` };
  } finally {
    client.close();
  }
}
