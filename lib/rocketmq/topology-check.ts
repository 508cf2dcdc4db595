// The rules a topology imposes on the broker instances: roles, groups, counts, ports and store paths per machine.
import { checkPortRanges } from './port-range.ts';
import {
  type BrokerInstance,
  isControllerMode,
  masterRole,
  portTriple,
  presentInstances,
  type Topology,
} from './topology.ts';

/** Problems (errors) and warnings found by checkTopology(). */
export interface TopologyReport {
  errors: string[];
  warnings: string[];
}

const isMaster = (i: BrokerInstance): boolean => i.brokerId === 0;

function checkRoles(topology: Topology, instances: BrokerInstance[], report: TopologyReport): void {
  for (const i of instances) {
    const role = i.declaredRole;
    if (role === undefined) continue;
    if (isControllerMode(topology)) {
      report.errors.push(
        `${topology}: ${i.origin} has broker_role ${role}, which RocketMQ ignores in controller mode (the controller elects the master); remove broker_role${i.at}`,
      );
      continue;
    }
    const expected = isMaster(i) ? masterRole(topology) : 'SLAVE';
    if (role !== expected) {
      report.errors.push(
        `${topology}: ${i.origin} has broker_role ${role} but broker_id ${i.brokerId} needs ${expected}; remove broker_role to derive it${i.at}`,
      );
    }
  }
}

function checkGroups(
  topology: Topology,
  instances: BrokerInstance[],
  report: TopologyReport,
): void {
  const names = [...new Set(instances.map((i) => i.brokerName))];
  for (const name of names) {
    const members = instances.filter((i) => i.brokerName === name);
    const masters = isControllerMode(topology) ? [] : members.filter(isMaster);
    if (isControllerMode(topology) && members.length < 2) {
      report.errors.push(
        `${topology}: broker_name ${name} has ${members.length} replica (${members.map((m) => `${m.label} on host ${m.host}`).join(', ')}); failover needs at least 2: add an instance with broker_name ${name} and another broker_id`,
      );
    }
    if (masters.length > 1) {
      report.errors.push(
        `${topology}: broker_name ${name} has ${masters.length} masters (broker_id 0): ${masters.map((m) => `${m.label} on host ${m.host}`).join(', ')}; keep exactly one`,
      );
    }
    if (masters.length === 0 && !isControllerMode(topology)) {
      for (const s of members)
        report.errors.push(
          `${topology}: slave ${s.label} on host ${s.host} has broker_name ${name}, which has no master${s.at}`,
        );
    }
    const ids = members
      .map((m) => m.brokerId)
      .filter((id, k, all) => (id !== 0 || isControllerMode(topology)) && all.indexOf(id) !== k);
    for (const id of new Set(ids))
      report.errors.push(`${topology}: broker_name ${name} has broker_id ${id} more than once`);
  }
}

function checkCounts(
  topology: Topology,
  instances: BrokerInstance[],
  report: TopologyReport,
): void {
  const masters = instances.filter(isMaster);
  const slaves = instances.filter((i) => !isMaster(i));
  const fail = (need: string): void => {
    report.errors.push(
      `${topology}: needs ${need}, the inventory declares ${masters.length} master(s) and ${slaves.length} slave(s)`,
    );
  };
  if (topology === 'single-master' && (masters.length !== 1 || slaves.length > 0))
    fail('exactly 1 master and no slaves');
  if (topology === 'multi-master' && (masters.length < 2 || slaves.length > 0))
    fail('at least 2 masters and no slaves');
  if (isControllerMode(topology)) {
    const groups = new Set(instances.map((i) => i.brokerName)).size;
    if (groups < 2)
      report.errors.push(
        `${topology}: needs at least 2 broker groups (broker_name), the inventory declares ${groups}`,
      );
  } else if (topology.startsWith('2m2s')) {
    if (masters.length < 2) fail('at least 2 master/slave groups');
    for (const m of masters) {
      if (!slaves.some((s) => s.brokerName === m.brokerName)) {
        report.errors.push(
          `${topology}: master ${m.label} on host ${m.host} (broker_name ${m.brokerName}) has no slave; add an instance with broker_name ${m.brokerName} and broker_id 1`,
        );
      }
    }
  }
}

/** Port triples and store paths must be disjoint per machine; a master beside its own slave is only a warning. */
function checkMachines(
  topology: Topology,
  instances: BrokerInstance[],
  namesrvPorts: Map<string, number>,
  report: TopologyReport,
): void {
  const machines = [...new Set(instances.map((i) => i.machine))];
  for (const machine of machines) {
    const here = instances.filter((i) => i.machine === machine);
    const address = [...new Set(here.map((i) => i.address))].join(' = ');
    const ports = new Map<number, string>();
    const namesrv = namesrvPorts.get(machine);
    if (namesrv !== undefined) ports.set(namesrv, 'the name server');
    for (const i of here) {
      const clashes = new Map<string, number[]>();
      for (const port of portTriple(i)) {
        const owner = ports.get(port);
        if (owner === undefined) ports.set(port, `${i.label} on host ${i.host}`);
        else clashes.set(owner, [...(clashes.get(owner) ?? []), port]);
      }
      for (const [owner, taken] of clashes) {
        report.errors.push(
          `${topology}: port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} of ${i.label} on host ${i.host} (${address}) ${taken.length > 1 ? 'are' : 'is'} also used by ${owner}; give each instance its own listen_port (it binds listen_port-2, listen_port and ha_listen_port)${i.at}`,
        );
      }
    }
    checkPaths(topology, here, report);
    for (const s of here.filter((i) => !isMaster(i))) {
      const master = here.find((m) => isMaster(m) && m.brokerName === s.brokerName);
      if (!master) continue;
      const pair = isControllerMode(topology)
        ? `replicas ${s.label} and ${master.label}`
        : `slave ${s.label} and its master ${master.label}`;
      report.warnings.push(
        `${topology}: ${pair} run on the same machine ${address}; one machine failure loses both`,
      );
    }
  }
}

function checkPaths(topology: Topology, here: BrokerInstance[], report: TopologyReport): void {
  const inside = (a: string, b: string): boolean =>
    a === b || a.startsWith(`${b.replace(/\/+$/, '')}/`);
  here.forEach((a, k) => {
    for (const b of here.slice(k + 1)) {
      if (
        inside(a.storePathRootDir, b.storePathRootDir) ||
        inside(b.storePathRootDir, a.storePathRootDir) ||
        a.storePathCommitLog === b.storePathCommitLog
      ) {
        report.errors.push(
          `${topology}: ${a.label} on host ${a.host} and ${b.label} on host ${b.host} share the store path ${a.storePathRootDir}; give each instance its own store_path_root_dir`,
        );
      }
    }
  });
}

/**
 * Checks the brokers against a topology's rules; returns errors and warnings instead of throwing so all are shown at once.
 * @example checkTopology('single-master', [oneMaster], new Map()) // => { errors: [], warnings: [] }
 */
export function checkTopology(
  topology: Topology,
  instances: BrokerInstance[],
  namesrvPorts: Map<string, number>,
): TopologyReport {
  const report: TopologyReport = { errors: [], warnings: [] };
  // Instances being removed (broker_state: absent) no longer count towards the topology; they still hold their
  // ports and store paths until the run has stopped them, so the machine checks see them all.
  const present = presentInstances(instances);
  if (isControllerMode(topology)) {
    for (const i of instances.filter((x) => x.state === 'absent')) {
      report.errors.push(
        `${topology}: ${i.origin} has broker_state absent, which controller mode does not support yet (the controller assigns roles); remove the group by hand${i.at}`,
      );
    }
  }
  checkRoles(topology, present, report);
  checkGroups(topology, present, report);
  checkCounts(topology, present, report);
  checkPortRanges(topology, instances, report);
  checkMachines(topology, instances, namesrvPorts, report);
  return report;
}
