// A stop-only service task (no command: the broker-retire role stopping a removed broker) on a systemd host stops
// and disables the unit, and never replaces it with a unit that has no ExecStart.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServiceFacts } from '../../../lib/modules/service-facts.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import { serviceTransition } from '../../../lib/modules/service-transition.ts';
import { systemdActions } from '../../../lib/modules/service-systemd.ts';
import type { ValidateContext } from '../../../lib/shared/types.ts';

const where = { file: 'roles/broker-retire/tasks/main.yaml', line: 20, col: 3 };
const vctx = {
  host: 'mq5',
  vars: {},
  renderFile: () => '',
  resolveFile: (s: string) => s,
} as ValidateContext;

const S = suite('systemdActions() with a stop-only task');
S('running and enabled: stop and disable; the installed unit is left as it is', () => {
  const args = serviceModule.validate(
    {
      name: 'rmq-broker-broker-c-0',
      state: 'stopped',
      match: '/etc/rocketmq/broker-broker-c-0.properties',
      enabled: false,
    },
    where,
    vctx,
  );
  const facts: ServiceFacts = {
    supervisor: 'systemd',
    running: true,
    pid: '42',
    why: '',
    configs: [],
    unit: 'a'.repeat(64),
    enabled: 'enabled',
  };
  const plan = systemdActions(args, facts, (force) => serviceTransition(args, facts, force));
  assert.equal(
    plan.actions.map((a) => a.describe),
    ['disable rmq-broker-broker-c-0.service', 'stop rmq-broker-broker-c-0'],
  );
  assert.equal(
    plan.changes.map((c) => c.item),
    ['enabled', 'process'],
  );
});
S.run();
