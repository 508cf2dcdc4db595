// The hostname module's probe of the running name, run by sh: what `hostname` prints, without starting it.
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { hostnameModule } from '../../../lib/modules/hostname.ts';
import type { PlanContext } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';

const Running = suite('hostname probe of the running name');
const script = hostnameModule
  .probes({ name: 'mq1' }, {} as PlanContext)
  .find((p) => p.id === 'running')!.script;

Running('prints exactly what hostname prints, and starts no process where /proc has it', () => {
  const probe = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  assert.is(probe.stdout, spawnSync('hostname', [], { encoding: 'utf8' }).stdout);
  const noPath = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: '/nonexistent' },
  });
  assert.is(noPath.stdout, probe.stdout, 'answered by the shell alone (no command on PATH)');
});

Running('falls back to the hostname command where the kernel file is not there', () => {
  const elsewhere = script.replace('/proc/sys/kernel/hostname', '/nonexistent/hostname');
  const probe = spawnSync('sh', ['-c', elsewhere], { encoding: 'utf8' });
  assert.is(probe.stdout, spawnSync('hostname', [], { encoding: 'utf8' }).stdout);
});

Running.run();
