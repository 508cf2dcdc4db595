// Which health polls may overlap the next items of a loop (plain starts under restart: never, asked on the
// controller), and how soon a controller gate is asked again (CONTROLLER_POLL_MS, not the host's 2 s).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ControllerGate } from '../../../lib/modules/service-gate-kinds.ts';
import {
  CONTROLLER_POLL_MS,
  gateActions,
  healthAction,
} from '../../../lib/modules/service-gates.ts';
import type { ServiceGates } from '../../../lib/modules/service-gates.ts';
import type { Action } from '../../../lib/shared/types.ts';

const start: Action = { describe: 'start x', script: 'true' };

/** A controller gate that passes on its `passOn`-th question. */
function gateAfter(passOn: number): ControllerGate & { asked: number } {
  const gate = {
    describe: 'test gate',
    asked: 0,
    check: async () => {
      gate.asked++;
      return { ok: gate.asked >= passOn, line: gate.asked >= passOn ? 'ok' : 'not yet' };
    },
  };
  return gate;
}

const gates = (restart: ServiceGates['restart'], health: ServiceGates['health']): ServiceGates => ({
  restart,
  healthTimeout: 30,
  guard: 'true',
  ...(health !== undefined && { health }),
});

const S = suite(
  'gateActions(): only the health poll of a plain start under restart: never overlaps',
);

S('start, restart: never, controller gate → the poll is marked overlapsLoop', () => {
  const actions = gateActions('b', gates('never', gateAfter(1)), 'start', [start]);
  assert.equal(
    actions.map((a) => a.describe),
    ['start x', 'wait until b is healthy'],
  );
  assert.is(actions.at(-1)!.overlapsLoop, true);
});

S('a restart, or a start under on_config_change, keeps its poll in line', () => {
  for (const [restart, kind] of [
    ['never', 'restart'],
    ['on_config_change', 'start'],
    ['on_config_change', 'restart'],
  ] as const) {
    const actions = gateActions('b', gates(restart, gateAfter(1)), kind, [start]);
    assert.ok(
      actions.every((a) => a.overlapsLoop !== true),
      `${restart}/${kind} overlaps`,
    );
  }
});

S('a host-side health script (it runs over the host connection) keeps its poll in line', () => {
  const actions = gateActions('b', gates('never', 'test -f /tmp/ok'), 'start', [start]);
  assert.ok(actions.every((a) => a.overlapsLoop !== true));
});

const P = suite('a controller gate is asked again after CONTROLLER_POLL_MS');

P('passing on the third question takes two short pauses, not two 2 s polls', async () => {
  const gate = gateAfter(3);
  const t0 = Date.now();
  await healthAction('b', gate, 30).run!();
  const took = Date.now() - t0;
  assert.is(gate.asked, 3);
  assert.ok(CONTROLLER_POLL_MS <= 500);
  assert.ok(took >= 2 * CONTROLLER_POLL_MS - 20, `took ${took} ms`);
  // Two host-style polls would take 4 s.
  assert.ok(took < 3000, `took ${took} ms: polled at the host's 2 s`);
});

S.run();
P.run();
