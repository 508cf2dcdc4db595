// playbooks/stop.yaml stops every process a deploy started: brokers, then standalone controllers, then name servers,
// and still loads for inventories without a controllers group.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';

const FIXTURES = 'test/fixtures/inventories/';
const extraVars = {
  ...parseExtraVars([`@${FIXTURES}lab-connection.yaml`]),
  lab_prefix: '10.77.3',
  lab_key_file: '/tmp/k',
};
const plan = (inventory: string) =>
  planRun({
    playbook: 'playbooks/stop.yaml',
    inventory,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    forks: 1,
    extraVars,
  });
/** Per phase: `host pattern` of each planned stop task, the pattern being the script's 2nd argument ($2). */
async function stops(inventory: string): Promise<Record<string, string[]>> {
  const run = await plan(inventory);
  return Object.fromEntries(
    run.phases.map((phase) => [
      phase.spec.name,
      [...phase.plans].flatMap(([host, hp]) =>
        hp.tasks.map((t) => `${host} ${(t.args as { run: { argv: string[] } }).run.argv[5]}`),
      ),
    ]),
  );
}

const S = suite('stop.yaml');
S(
  'standalone controllers: stopped after the brokers and before the name servers, by their own PID files',
  async () => {
    assert.equal(await stops(`${FIXTURES}2m2s-controller`), {
      Brokers: ['mq1 rmq-broker-*', 'mq2 rmq-broker-*', 'mq3 rmq-broker-*', 'mq4 rmq-broker-*'],
      Controllers: ['mq1 rmq-controller-*', 'mq2 rmq-controller-*', 'mq3 rmq-controller-*'],
      'Name servers': ['mq1 rmq-namesrv', 'mq2 rmq-namesrv', 'mq3 rmq-namesrv', 'mq4 rmq-namesrv'],
    });
  },
);
S(
  'an inventory without a controllers group (the seed topologies, embedded controllers): no controller phase work',
  async () => {
    for (const [fixture, namesrvs] of [
      ['2m2s-sync', 4],
      ['2m2s-controller-embedded', 3],
    ] as const) {
      const phases = await stops(`${FIXTURES}${fixture}`);
      assert.equal(phases.Controllers, [], fixture);
      assert.is(phases['Name servers']!.length, namesrvs, fixture);
    }
  },
);
S.run();
