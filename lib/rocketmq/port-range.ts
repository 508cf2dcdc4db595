// Derived ports must be real ports: an instance binds listen_port-2, listen_port and ha_listen_port (listen_port+1).
import type { TopologyReport } from './topology-check.ts';
import type { BrokerInstance, Topology } from './topology.ts';

/**
 * Adds an error per derived port outside 1..65535 (listen_port 65535 would give haListenPort 65536), naming the host,
 * the instance and the variable that set listen_port with its file:line:col (or -e).
 */
export function checkPortRanges(
  topology: Topology,
  instances: BrokerInstance[],
  report: TopologyReport,
): void {
  for (const i of instances) {
    const bad = [
      ['fast port (listen_port-2)', i.listenPort - 2],
      ['listenPort', i.listenPort],
      ['haListenPort', i.haListenPort],
    ] as const;
    for (const [what, port] of bad.filter(([, p]) => p < 1 || p > 65535)) {
      report.errors.push(
        `${topology}: host ${i.host} broker ${i.label}: ${what} would be ${port}, outside 1..65535; it comes from ${i.portVariable}: choose a listen_port from 3 to 65534 (and an ha_listen_port up to 65535)`,
      );
    }
  }
}
