// Every frame that carries actions keeps `set -e` alive inside them: a failing command stops its action, for real.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { guarded } from '../../../lib/execute/action-groups.ts';
import { actThenAsk } from '../../../lib/execute/action-trip.ts';
import { batchCommand, type BatchItem } from '../../../lib/execute/batch-trip.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import { quote } from '../../../lib/shared/shell.ts';
import type { Action } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';

const E = suite('set -e inside every action frame');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-errexit-'));
E.after(() => rmSync(dir, { recursive: true, force: true }));
const transport = new LocalTransport();

/** An action whose second line fails without any check of its own: only `set -e` keeps the third from running. */
function failingMidway(name: string, stdin?: string): Action {
  const marker = join(dir, name);
  const script = `set -e\ncat > /dev/null\nfalse\ntouch ${quote(marker)}`;
  return { describe: `step ${name}`, script, ...(stdin === undefined ? {} : { stdin }) };
}
const ran = (name: string): boolean => existsSync(join(dir, name));
const question = { key: 'u:echo', script: 'echo asked', needed: true, become: false };

E('actions joined in one exec (a task with several actions)', async () => {
  const script = ['set -u', guarded(failingMidway('joined')), 'touch /dev/null/never'].join('\n');
  const result = await transport.exec(script);
  assert.is(result.code, 1);
  assert.match(result.stderr, 'action failed: step joined');
  assert.not.ok(ran('joined'));
});

E('actions followed by the next tasks questions (one trip)', async () => {
  const command = ['set -u', guarded(failingMidway('ride'))].join('\n');
  const trip = await actThenAsk(transport, command, {}, [question]);
  assert.is(trip.code, 1);
  assert.is(trip.answers, undefined);
  assert.not.ok(ran('ride'));
});

E('a batch: first item, a later guarded one with stdin, and one through become', async () => {
  for (const [name, become, stdin] of [
    ['batch-first', false, undefined],
    ['batch-stdin', false, 'content\n'],
    ['batch-become', true, 'content\n'],
  ] as const) {
    const ok: BatchItem = { actions: [{ describe: 'ok', script: 'true' }], become: false };
    const failing: BatchItem = { actions: [failingMidway(name, stdin)], become };
    const items = name === 'batch-first' ? [failing, ok] : [ok, failing, ok];
    const batch = batchCommand(items, false, [question])!;
    const trip = batch.parse(await transport.exec(batch.command));
    assert.equal(trip.outcomes.at(-1)?.kind, 'failed', name);
    assert.is(trip.outcomes.length, name === 'batch-first' ? 1 : 2, name);
    assert.not.ok(ran(name), `${name}: nothing after the failing line ran`);
  }
});

E(
  'an action starts as under a fresh sh -e: no framing variables, -u off, no new sh process',
  async () => {
    const probe: Action = {
      describe: 'look',
      script: 'echo "s=${s-unset} rc=${rc-unset} x=[$not_set_anywhere] ppid=$PPID"',
    };
    const result = await transport.exec(
      ['set -u', 'echo "outer=$PPID"', guarded(probe)].join('\n'),
    );
    assert.is(result.code, 0, result.stderr);
    const outer = /outer=(\d+)/.exec(result.stdout)?.[1];
    assert.match(result.stdout, `s=unset rc=unset x=[] ppid=${outer}\n`);
  },
);

E.run();
