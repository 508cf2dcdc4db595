// A name server added to a running cluster: the Name servers phase starts it and waits only until it answers
// (namesrv-up: the brokers learn it when the rolling phases restart them); a rolling restart still waits until a
// restarted name server caught up with its peers (namesrv-caught-up).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planScale, scaleHosts } from './scale-plan-fixture.ts';

const S = suite('2m2s-sync asks a started name server to answer and a restarted one to catch up');
S('health per phase', async () => {
  const rows = await planScale({
    'hosts.yaml': scaleHosts({ nameservers: ['mq7: { ansible_host: 10.0.0.17 }'] }),
  });
  const health = rows
    .filter(({ host, task }) => task.label.startsWith('Run the name server') && host === 'mq7')
    .map(
      ({ phase, task }) =>
        `${phase}: ${(task.args as { health?: { describe?: string } }).health?.describe ?? ''}`,
    );
  assert.equal(health, [
    'Name servers: RocketMQ namesrv-up 10.0.0.17:9876 (name servers 10.0.0.17:9876)',
    'Restart name servers: RocketMQ namesrv-caught-up 10.0.0.17:9876 (name servers 10.0.0.11:9876;10.0.0.12:9876;10.0.0.17:9876)',
  ]);
});
S.run();
