// splay() sleeps through the injected sleep; scheduleOf()/cronLine() build a ready crontab line.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cronLine, scheduleOf } from '../../../lib/cron/cron-line.ts';
import { parseSplaySeconds, splay } from '../../../lib/cron/splay.ts';

const S = suite('splay() waits a random 0..SECONDS through the injected sleep');

S('picks floor(random * (seconds + 1)), announces it, sleeps that many ms', async () => {
  const slept: number[] = [];
  const announced: number[] = [];
  const sleep = async (ms: number) => void slept.push(ms);
  assert.is(await splay(60, (s) => announced.push(s), { random: () => 0.5, sleep }), 30);
  assert.is(await splay(60, () => {}, { random: () => 0.999999, sleep }), 60);
  assert.is(await splay(60, () => {}, { random: () => 0, sleep }), 0);
  assert.is(await splay(0, () => announced.push(-1), { random: () => 0.5, sleep }), 0);
  assert.equal(slept, [30000, 60000]);
  assert.equal(announced, [30]);
});

S('parseSplaySeconds accepts whole seconds up to a day', () => {
  const cases: Array<[string, number | undefined]> = [
    ['0', 0],
    ['60', 60],
    ['86400', 86400],
    ['86401', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['', undefined],
    ['1m', undefined],
  ];
  for (const [text, expected] of cases) assert.is(parseSplaySeconds(text), expected, text);
});

const C = suite(
  'cronLine() prints a crontab line with --repair, --splay, --json, --metrics and a log',
);

C('schedules for minute and hour intervals; other values are usage errors', () => {
  const cases: Array<[string, string]> = [
    ['1m', '* * * * *'],
    ['10m', '*/10 * * * *'],
    ['30m', '*/30 * * * *'],
    ['1h', '0 */1 * * *'],
    ['6h', '0 */6 * * *'],
    ['24h', '0 0 * * *'],
  ];
  for (const [every, expected] of cases) assert.is(scheduleOf(every), expected, every);
  for (const bad of ['7m', '60m', '5h', '10', 'm', '10s'])
    assert.throws(() => scheduleOf(bad), /--every/, bad);
});

C('the documented example line', () => {
  const line = cronLine({
    projectRoot: '/opt/rocketmq-deploy',
    playbook: 'playbooks/2m2s-sync.yaml',
    env: 'prod',
    every: '10m',
    splaySeconds: 60,
    logDir: '/var/log/rocketmq-deploy',
    metricsDir: '/var/lib/node_exporter/textfile',
  });
  assert.is(
    line,
    '*/10 * * * * cd /opt/rocketmq-deploy && npx zx run.mjs playbooks/2m2s-sync.yaml --env prod --repair --splay 60 --json /var/log/rocketmq-deploy/prod.json --metrics /var/lib/node_exporter/textfile/rocketmq_deploy_prod.prom >> /var/log/rocketmq-deploy/prod.log 2>&1',
  );
});

C('paths with spaces are quoted and % is escaped for cron', () => {
  const line = cronLine({
    projectRoot: '/opt/my deploy',
    playbook: 'p%.yaml',
    env: 'prod',
    every: '5m',
    splaySeconds: 0,
    logDir: '/l',
    metricsDir: '/m',
  });
  assert.match(line, "cd '/opt/my deploy' && npx zx run.mjs p\\%.yaml");
});

S.run();
C.run();
