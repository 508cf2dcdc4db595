// The module registry (task module name → module) and the one place plugins are wired in: RocketMQ's modules,
// gate kinds, template helpers, compare kinds and preflight checks, and the lab's route check, installed at start-up.
import type { Module } from '../shared/types.ts';
import { blockinfileModule } from './blockinfile.ts';
import { commandModule } from './command.ts';
import { copyModule } from './copy.ts';
import { fileModule } from './file.ts';
import { hostnameModule } from './hostname.ts';
import { lineinfileModule } from './lineinfile.ts';
import { rocketmqDistModule } from './rocketmq-dist.ts';
import { rocketmqAclModule } from './rocketmq-acl.ts';
import { remotingAclAdmin } from '../rocketmq/acl-read.ts';
import { rocketmqDrainModule } from './rocketmq-drain.ts';
import { remotingDrainAdmin } from '../rocketmq/remoting/drain-admin.ts';
import { rocketmqTopicsModule } from './rocketmq-topics.ts';
import { remotingTopicsAdmin } from '../rocketmq/remoting/topic-admin.ts';
import { rocketmqVerifyModule } from './rocketmq-verify.ts';
import { serviceModule } from './service.ts';
import { registerGateKind } from './service-gate-kinds.ts';
import { GATE_KIND as ROCKETMQ_GATE } from '../rocketmq/service-gate.ts';
import { rocketmqGateSchema } from '../rocketmq/service-gate-ask.ts';
import { NAMESRV_GATE_KIND, namesrvGateSchema } from '../rocketmq/namesrv-guard.ts';
import { STORE_KIND, storeCompatSchema } from '../rocketmq/store-compat.ts';
import { templateModule } from './template.ts';
import { registerCompareKind } from './compare-kinds.ts';
import { brokerConfigChanges } from '../rocketmq/broker-config-drift.ts';
import { rocketmqHelpers } from '../rocketmq/topology-helpers.ts';
import { aclHelpers } from '../rocketmq/acl-helpers.ts';
import { brokerPhaseHelper } from '../rocketmq/broker-phase.ts';
import { rocketmqPreflightChecks } from '../rocketmq/preflight-checks.ts';
import { registerPreflightChecks } from '../check/preflight.ts';
import { addTemplateHelpers } from '../load/render.ts';
import { setLabRouteGuard } from '../execute/transports/connect.ts';
import { coalesce } from '../shared/coalesce.ts';
import { unarchiveModule } from './unarchive.ts';
import { waitForModule } from './wait-for.ts';

// Service gates may ask RocketMQ from the controller (`guard: { rocketmq: partners-up, ... }`).
registerGateKind(ROCKETMQ_GATE, rocketmqGateSchema);
// The name server's restart guard asks RocketMQ from the controller (`guard: { rocketmq_namesrv: peers-up, ... }`).
registerGateKind(NAMESRV_GATE_KIND, namesrvGateSchema);
// before_start of a broker: a store a newer RocketMQ wrote made readable by the older one about to start (rollback).
registerGateKind(STORE_KIND, storeCompatSchema);
addTemplateHelpers({ ...rocketmqHelpers, ...aclHelpers, rocketmq_broker_phase: brokerPhaseHelper });
// `compare: rocketmq_broker`: a broker config key by key against RocketMQ's defaults, runtime rewrites labelled.
registerCompareKind('rocketmq_broker', brokerConfigChanges);
registerPreflightChecks(rocketmqPreflightChecks);
// Lab hosts are connected to only through the lab bridge; the lab code loads only when a lab host is connected to.
// The hosts of a run ask in the same turn, so their checks share one `ip` process (coalesce).
setLabRouteGuard(
  coalesce(async (addresses) => (await import('../lab/route-check.ts')).checkLabRoutes(addresses)),
);

// Each module fixes its own argument type; the registry only needs the common contract (Module's methods take
// their arguments bivariantly, so every Module<A> is a Module<unknown>).
type AnyModule = Module<unknown>;

const all: AnyModule[] = [
  fileModule,
  copyModule,
  templateModule,
  blockinfileModule,
  lineinfileModule,
  hostnameModule,
  serviceModule,
  unarchiveModule,
  waitForModule,
  commandModule,
  rocketmqDistModule,
  rocketmqVerifyModule,
  rocketmqTopicsModule((auth) => remotingTopicsAdmin(5000, auth)),
  rocketmqAclModule((admin) => remotingAclAdmin(admin)),
  rocketmqDrainModule((auth) => remotingDrainAdmin(5000, auth)),
];

/** Every task module by the name a playbook uses for it. */
export const modules: ReadonlyMap<string, AnyModule> = new Map(all.map((m) => [m.name, m]));
