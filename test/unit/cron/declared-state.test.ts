// The declared digests stay what earlier versions saved in declared.json: sha256 of each key's task texts joined by newlines.
import { createHash } from 'node:crypto';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { declaredState } from '../../../lib/cron/intent.ts';
import { phase, task } from '../../helpers/runner-fixtures.ts';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

const Declared = suite(
  'declaredState(): one digest per host and task key, as saved by earlier versions',
);
Declared('the texts of tasks sharing a key, joined by newlines, keys sorted in arguments', () => {
  const phases = [
    phase('Base', ['h1', 'h2'], (host) => [
      task('write', 'flag', { path: `/etc/${host}`, content: 'x' }),
      task('write', 'flag', { content: 'y', path: '/b' }),
      task('skipped', 'flag', { path: '/s', content: 's' }),
    ]),
  ];
  const skipped = phases[0]?.plans.get('h1')?.tasks[2];
  if (skipped) skipped.skipReason = 'when: false';
  const state = declaredState(phases);
  assert.equal(Object.keys(state), ['h1', 'h2']);
  // A skipped task is not declared.
  assert.equal(state.h1, {
    'Base / write': sha('flag:{"content":"x","path":"/etc/h1"}\nflag:{"content":"y","path":"/b"}'),
  });
  assert.is(
    state.h2?.['Base / write'],
    sha('flag:{"content":"x","path":"/etc/h2"}\nflag:{"content":"y","path":"/b"}'),
  );
  assert.is(state.h2?.['Base / skipped'], sha('flag:{"content":"s","path":"/s"}'));
});
Declared('the same key in two phases of the same name is one digest over both', () => {
  const one = (content: string) => phase('P', ['h1'], () => [task('t', 'flag', { content })]);
  const state = declaredState([one('a'), one('b')]);
  assert.equal(state, { h1: { 'P / t': sha('flag:{"content":"a"}\nflag:{"content":"b"}') } });
});
Declared.run();
