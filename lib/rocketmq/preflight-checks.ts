// RocketMQ's preflight checks (topology rules, broker.properties lint, topics, controllers), run before any host.
import { ValidationError } from '../shared/errors.ts';
import { formatWhere } from '../shared/errors.ts';
import { machineOf } from './machine.ts';
import { derivedKeyErrors } from './derived-keys.ts';
import { lintEntries, lintInstance } from './broker-lint.ts';
import { allKnownKeys } from './broker-lint-keys.ts';
import { checkTopicDeclarations } from './topics-preflight.ts';
import { checkControllers, checkShape } from './controller-preflight.ts';
import { aclVersionErrors } from './acl-preflight.ts';
import { tlsErrors } from './tls-preflight.ts';
import { controllersEmbedded, groupControllers, type ControllerInstance } from './controllers.ts';
import { allBrokerInstances } from './broker-instances.ts';
import { checkTopology } from './topology-check.ts';
import {
  DEFAULT_NAMESRV_PORT,
  groupHosts,
  TOPOLOGIES,
  type BrokerInstance,
  type Topology,
} from './topology.ts';
import type { PreflightCheck, PreflightContext } from '../check/preflight.ts';
import type { Vars, Where } from '../shared/types.ts';
import { originsOf } from '../load/var-origins.ts';

// Every key a 5.x broker reads (broker-keys.json) plus the template's own: read once, checks stay synchronous.
const knownKeys: ReadonlySet<string> = allKnownKeys();

function fail(title: string, errors: string[], where: Where): never {
  throw new ValidationError(`${title}:\n  - ${errors.join('\n  - ')}`, where);
}

function topologyArg(ctx: PreflightContext): Topology {
  const value = ctx.args.topology;
  if (typeof value !== 'string' || !(TOPOLOGIES as readonly string[]).includes(value)) {
    throw new ValidationError(
      `preflight rocketmq_topology: "topology" must be one of ${TOPOLOGIES.join(', ')}, got ${JSON.stringify(value)}`,
      ctx.where,
    );
  }
  return value as Topology;
}

/** Broker instances of the inventory that take part in a topology (instances may list the topologies they join). */
function instancesFor(ctx: PreflightContext, topology: string | undefined): BrokerInstance[] {
  const all = allBrokerInstances(ctx.inventory, ctx.hosts);
  return topology === undefined
    ? all
    : all.filter((i) => i.topologies === undefined || i.topologies.includes(topology));
}

/** Machine (machine.ts: one key whatever the spelling) → name server port, for port collisions with brokers on the same machine. */
function namesrvPorts(ctx: PreflightContext): Map<string, number> {
  const ports = new Map<string, number>();
  for (const name of groupHosts(ctx.inventory, 'nameservers')) {
    const vars = ctx.hosts.get(name) ?? {};
    ports.set(
      machineOf(String(vars.ansible_host ?? name), vars.ansible_connection),
      Number(vars.namesrv_port ?? DEFAULT_NAMESRV_PORT),
    );
  }
  return ports;
}

function rocketmqTopology(ctx: PreflightContext): string[] {
  const topology = topologyArg(ctx);
  const missing = ['nameservers', 'brokers'].filter(
    (g) => groupHosts(ctx.inventory, g).length === 0,
  );
  if (missing.length > 0) {
    fail(
      `${topology}: the inventory ${ctx.inventory.dir} needs hosts in the groups nameservers and brokers`,
      missing.map((g) => `group "${g}" is missing or has no hosts; add it to hosts.yaml`),
      ctx.where,
    );
  }
  // Every playbook runs this check: refuse ACL on an old RocketMQ, or a TLS mode RocketMQ would misread, before any
  // host is touched.
  const hosts = [...ctx.hosts].map(([host, vars]) => ({
    host,
    vars,
    at: (v: string) => sourceAt(ctx, host, v),
  }));
  const acl = aclVersionErrors(hosts);
  if (acl.length > 0)
    fail('ACL 2.0 (rocketmq_acl_enabled) needs RocketMQ 5.3 or later', acl, ctx.where);
  const tls = tlsErrors(hosts);
  if (tls.length > 0) fail('TLS of the remoting ports (rocketmq_tls_*)', tls, ctx.where);
  const report = checkTopology(topology, instancesFor(ctx, topology), namesrvPorts(ctx));
  if (report.errors.length > 0)
    fail(
      `inventory ${ctx.inventory.dir} does not fit topology ${topology}`,
      report.errors,
      ctx.where,
    );
  return report.warnings;
}

function brokerLint(ctx: PreflightContext): string[] {
  const topology = typeof ctx.args.topology === 'string' ? ctx.args.topology : undefined;
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const instance of instancesFor(ctx, topology)) {
    const vars = ctx.hosts.get(instance.host) ?? {};
    const host = ctx.inventory.hosts.get(instance.host);
    const sourceOf = (variable: string): string => {
      const where = host?.sources[variable];
      return where ? ` (set in ${formatWhere(where)})` : '';
    };
    const translate = vars.broker_lint_translate === true || vars.broker_lint_translate === 'true';
    const result = lintInstance(
      lintEntries(instance, vars, sourceOf),
      knownKeys,
      translate,
      `host ${instance.host} broker ${instance.label}`,
    );
    errors.push(...derivedKeyErrors(instance, vars, sourceOf), ...result.errors);
    warnings.push(...result.warnings);
  }
  if (errors.length > 0)
    fail('broker.properties lint found values RocketMQ would ignore or misread', errors, ctx.where);
  return warnings;
}

function rocketmqTopics(ctx: PreflightContext): string[] {
  const topology = typeof ctx.args.topology === 'string' ? ctx.args.topology : undefined;
  const instances = instancesFor(ctx, topology);
  const first = instances[0] ? ctx.hosts.get(instances[0].host) : undefined;
  const cluster = String(first?.rocketmq_cluster_name ?? 'TestCluster');
  const report = checkTopicDeclarations({
    cluster,
    instances,
    vars: (host) => ctx.hosts.get(host) ?? {},
    host: (host) => ctx.inventory.hosts.get(host),
  });
  if (report.errors.length > 0)
    fail(
      'rocketmq_topics / rocketmq_groups hold values RocketMQ would refuse',
      report.errors,
      ctx.where,
    );
  return report.warnings;
}

/** A broker's controllerAddr when the inventory sets one (instance properties, broker_properties, broker_controller_addr). */
function declaredControllerAddr(
  ctx: PreflightContext,
  broker: BrokerInstance,
): { value: string; from: string } | undefined {
  const vars = ctx.hosts.get(broker.host) ?? {};
  const at = (name: string): string => declaredAt(ctx, broker.host, name);
  const group = vars.broker_properties;
  const fromGroup =
    group !== null && typeof group === 'object' ? (group as Vars).controllerAddr : undefined;
  if (broker.properties.controllerAddr !== undefined)
    return {
      value: String(broker.properties.controllerAddr),
      from: `${broker.origin}.properties.controllerAddr${broker.at}`,
    };
  if (fromGroup !== undefined)
    return {
      value: String(fromGroup),
      from: `broker_properties.controllerAddr${at('broker_properties')}`,
    };
  if (vars.broker_controller_addr !== undefined)
    return {
      value: String(vars.broker_controller_addr),
      from: `broker_controller_addr${at('broker_controller_addr')}`,
    };
  return undefined;
}

/** Where a variable was set, for an error: an inventory file:line:col, or -e / a role default. */
function sourceAt(ctx: PreflightContext, host: string, variable: string): string {
  const where = ctx.inventory.hosts.get(host)?.sources[variable];
  if (where) return ` (set in ${formatWhere(where)})`;
  const origin = originsOf(ctx.hosts.get(host) ?? {})?.origin[variable];
  return typeof origin === 'string'
    ? ` (${origin})`
    : origin
      ? ` (set in ${formatWhere(origin)})`
      : '';
}

function declaredAt(ctx: PreflightContext, host: string, variable: string): string {
  const where = ctx.inventory.hosts.get(host)?.sources[variable];
  return where ? ` (set in ${formatWhere(where)})` : '';
}

/** The shape (standalone or embedded) all hosts agree on, then the instances controllers.ts derives for it. */
function controllersOf(ctx: PreflightContext): ControllerInstance[] {
  const title = `inventory ${ctx.inventory.dir}: the controllers (controller mode) would not work`;
  const declared = ctx.inventory.groups.get('controllers');
  const shape = checkShape({
    switches: [...ctx.hosts].map(([host, vars]) => ({
      host,
      embedded: controllersEmbedded(vars.rocketmq_controllers_embedded),
      at: sourceAt(ctx, host, 'rocketmq_controllers_embedded'),
    })),
    group: {
      hosts: groupHosts(ctx.inventory, 'controllers'),
      at: declared ? ` (declared in ${formatWhere(declared.where)})` : '',
    },
  });
  if (shape.errors.length > 0) fail(title, shape.errors, ctx.where);
  const groups = Object.fromEntries(
    ['nameservers', 'controllers'].map((g) => [g, groupHosts(ctx.inventory, g)]),
  );
  try {
    return groupControllers(Object.fromEntries(ctx.hosts), groups, shape.embedded);
  } catch (error) {
    if (error instanceof ValidationError) fail(title, [error.message], ctx.where);
    throw error;
  }
}

/** Controller mode: the Raft group (standalone or embedded), and the brokers' controllerAddr against its peers. */
function rocketmqControllers(ctx: PreflightContext): string[] {
  const topology = typeof ctx.args.topology === 'string' ? ctx.args.topology : undefined;
  const report = checkControllers({
    controllers: controllersOf(ctx),
    brokers: instancesFor(ctx, topology),
    namesrvPorts: namesrvPorts(ctx),
    brokerControllerAddr: (b) => declaredControllerAddr(ctx, b),
    at: (host, variable) => declaredAt(ctx, host, variable),
  });
  if (report.errors.length > 0)
    fail(
      `inventory ${ctx.inventory.dir}: the controllers (controller mode) would not work`,
      report.errors,
      ctx.where,
    );
  return report.warnings;
}

/** RocketMQ's checks by the name playbooks list them under `preflight:`. */
export const rocketmqPreflightChecks: Record<string, PreflightCheck> = {
  rocketmq_topology: rocketmqTopology,
  broker_lint: brokerLint,
  rocketmq_topics: rocketmqTopics,
  rocketmq_controllers: rocketmqControllers,
};
