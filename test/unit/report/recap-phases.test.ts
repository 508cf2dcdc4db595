// The recap's PHASES lines never say "ok" for a phase that did not run on its hosts.
import * as assert from 'uvu/assert';
import { humanReporter } from '../../../lib/report/human.ts';
import type { HostCounts, RunEvent } from '../../../lib/shared/events.ts';
import { suite } from '../../helpers/suite.ts';

const where = { file: 'roles/base/tasks/main.yaml', line: 3, col: 3 };
const down: HostCounts = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 1 };
const fine: HostCounts = { ok: 1, changed: 0, failed: 0, skipped: 0, unreachable: 0 };

function phasesOf(events: RunEvent[]): string {
  let out = '';
  const sink = humanReporter({ tty: false, diff: false, verbose: false, write: (t) => (out += t) });
  events.forEach(sink);
  return out.slice(out.indexOf('PHASES'));
}

const Phases = suite('PHASES lines');

Phases('every host refused before the first phase: each phase says NOT RUN, none says ok', () => {
  const out = phasesOf([
    { kind: 'start', playbook: 'p.yaml', check: false, diff: false, hosts: ['mq1', 'mq2'] },
    { kind: 'unreachable', host: 'mq1', message: 'the lab is not up' },
    { kind: 'unreachable', host: 'mq2', message: 'the lab is not up' },
    { kind: 'phase', phase: 'Base', hosts: [], left: ['mq1', 'mq2'] },
    { kind: 'phase', phase: 'Config', hosts: [], left: ['mq1', 'mq2'] },
    { kind: 'recap', counts: { mq1: down, mq2: down } },
  ]);
  assert.match(out, '  Base    NOT RUN: no host left (2 failed or unreachable before it)');
  assert.match(out, '  Config  NOT RUN: no host left (2 failed or unreachable before it)');
  assert.not.match(out, ' ok');
});

Phases('a host lost in an earlier phase is named as left out of the later ones', () => {
  const out = phasesOf([
    { kind: 'start', playbook: 'p.yaml', check: false, diff: false, hosts: ['mq1', 'mq2'] },
    { kind: 'phase', phase: 'Base', hosts: ['mq1', 'mq2'], left: [] },
    { kind: 'unreachable', host: 'mq2', message: 'connection reset' },
    { kind: 'task', phase: 'Base', host: 'mq1', task: 't', status: 'ok', changes: [], where },
    { kind: 'phase', phase: 'Config', hosts: ['mq1'], left: ['mq2'] },
    { kind: 'task', phase: 'Config', host: 'mq1', task: 't', status: 'ok', changes: [], where },
    { kind: 'recap', counts: { mq1: fine, mq2: down } },
  ]);
  assert.match(out, '  Base    1 host UNREACHABLE\n');
  assert.match(out, '  Config  ok; 1 host left out (failed or unreachable before)\n');
});

Phases.run();
