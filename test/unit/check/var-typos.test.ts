// planRun() warns about an inventory variable no role reads that is a near miss of one that does, naming its file:line.
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';

const plan = (inventory: string) =>
  planRun({
    playbook: 'playbooks/2m2s-sync.yaml',
    inventory,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars: {},
    forks: 10,
  });

const T = suite('planRun() warns about near-miss variable names (broker_heep → broker_heap)');

T('the shipped example inventory gets no such warning', async () => {
  assert.equal(
    (await plan('inventory/example-prod')).warnings.filter((w) => w.includes('did you mean')),
    [],
  );
});

T('a typo in group_vars is named once with its file:line:col and the variable meant', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'var-typos-')), 'prod');
  cpSync('inventory/example-prod', dir, {
    recursive: true,
    filter: (from) => !from.endsWith('.rocketmq-deploy'),
  });
  appendFileSync(join(dir, 'group_vars', 'all.yaml'), '\nbroker_heep: 8g\nsome_own_setting: 1\n');
  const typos = (await plan(dir)).warnings.filter((w) => w.includes('did you mean'));
  assert.is(typos.length, 1, typos.join('\n'));
  assert.match(
    typos[0]!,
    new RegExp(
      `^${join(dir, 'group_vars', 'all.yaml')}:\\d+:\\d+: variable broker_heep is not used by any role of this playbook \\(the role keeps its default\\); did you mean broker_heap\\?$`,
    ),
  );
});
T.run();
