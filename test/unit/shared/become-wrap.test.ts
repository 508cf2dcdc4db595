// becomeWrapIfNeeded(): a task's become runs directly for a login that already is the user, through sudo otherwise.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { becomeWrapIfNeeded } from '../../../lib/shared/shell.ts';

const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
const S = suite('becomeWrapIfNeeded() skips sudo when the login already is the target user');

S('as the same user the script runs without sudo, arguments and quotes intact', () => {
  const out = spawnSync('sh', ['-c', becomeWrapIfNeeded(`printf '%s|' "$(id -un)" "it's"`, me)], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
  });
  assert.is(out.status, 0, out.stderr);
  assert.is(out.stdout, `${me}|it's|`);
});

S(
  'for another user it goes through sudo -n (fails without sudo rights instead of prompting)',
  () => {
    const other = me === 'nobody' ? 'root' : 'nobody';
    const script = becomeWrapIfNeeded('echo ran', other);
    assert.match(script, `set -- sudo -H -n -u ${other} sh -c`);
    const out = spawnSync('sh', ['-c', script.replace('set -- sudo', 'set -- echo sudo')], {
      encoding: 'utf8',
    });
    assert.is(out.stdout.trim(), `sudo -H -n -u ${other} sh -c echo ran`);
  },
);

S.run();
