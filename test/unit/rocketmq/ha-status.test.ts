// parseHaStatus()/haProblem() over haStatus output captured from real RocketMQ 5.5.0 masters.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { haProblem, parseHaStatus } from '../../../lib/rocketmq/ha-status.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/rocketmq/${name}`, import.meta.url), 'utf8');

const Parse = suite('parseHaStatus() reads master blocks and slave rows');
Parse('one master (-b) with one slave in sync', () => {
  assert.equal(parseHaStatus(fixture('hastatus-master.txt')), [
    {
      masterAddr: '127.0.0.1:19911',
      commitLogMaxOffset: 0,
      slaveNum: 1,
      inSyncSlaveNum: 1,
      slaves: [{ addr: '127.0.0.1:53140', ackOffset: 0, diff: 0, status: 'OK' }],
    },
  ]);
});
Parse('two masters (-c cluster) of a 2m2s cluster', () => {
  const masters = parseHaStatus(fixture('hastatus-2m2s.txt'));
  assert.equal(masters.map((m) => [m.masterAddr, m.slaves.length]).sort(), [
    ['127.0.0.1:19911', 1],
    ['127.0.0.1:19931', 1],
  ]);
});
Parse('"Fall Behind" status with a gap', () => {
  const out =
    '#MasterAddr\t10.0.0.1:10911\n#MasterCommitLogMaxOffset\t5000\n#SlaveNum\t1\n#InSyncSlaveNum\t0\n#SlaveAddr #SlaveAckOffset #Diff #TransferSpeed(KB/s) #Status #TransferFromWhere\n10.0.0.2:40000   1000   4000   12.50   Fall Behind   0\n';
  assert.equal(parseHaStatus(out)[0]?.slaves, [
    { addr: '10.0.0.2:40000', ackOffset: 1000, diff: 4000, status: 'Fall Behind' },
  ]);
});
Parse.run();

const Problem = suite('haProblem() says what is wrong with replication, undefined when in sync');
const base = {
  masterAddr: 'm:1',
  commitLogMaxOffset: 10,
  slaveNum: 1,
  inSyncSlaveNum: 1,
  slaves: [{ addr: 's:2', ackOffset: 10, diff: 0, status: 'OK' }],
};
const cases: Array<[string, Partial<typeof base>, number, string | undefined]> = [
  ['in sync', {}, 1, undefined],
  [
    'no slave connected',
    { slaveNum: 0, inSyncSlaveNum: 0, slaves: [] },
    1,
    'master m:1 has 0 slave(s) connected, expected 1',
  ],
  ['connected but not in sync', { inSyncSlaveNum: 0 }, 1, 'master m:1 has 0 of 1 slave(s) in sync'],
  [
    'falling behind',
    { slaves: [{ addr: 's:2', ackOffset: 1, diff: 9, status: 'Fall Behind' }] },
    1,
    'slave s:2 of m:1 is "Fall Behind" by 9 bytes',
  ],
];
for (const [name, change, expected, message] of cases) {
  Problem(name, () => assert.is(haProblem({ ...base, ...change }, expected), message));
}
Problem.run();
