// coalesce(): checks asked in one turn are answered by one batch, each caller gets its own key's answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coalesce } from '../../../lib/shared/coalesce.ts';

const Coalesce = suite('coalesce() batches the checks of one turn');

const settle = (p: Promise<void>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: Error) => e.message,
  );

Coalesce('calls of one turn share one batch; each gets its own answer, in order', async () => {
  const batches: string[][] = [];
  const check = coalesce(async (keys) => {
    batches.push(keys);
    return keys.map((k) => (k.startsWith('bad') ? new Error(`${k} refused`) : undefined));
  });
  const answers = await Promise.all(['a', 'bad1', 'b', 'bad2'].map((k) => settle(check(k))));
  assert.equal(answers, ['ok', 'bad1 refused', 'ok', 'bad2 refused']);
  assert.equal(batches, [['a', 'bad1', 'b', 'bad2']]);
  // A later turn is a new batch: no answer is remembered.
  assert.is(await settle(check('a')), 'ok');
  assert.equal(batches, [['a', 'bad1', 'b', 'bad2'], ['a']]);
});

Coalesce(
  'a batch that throws fails every caller of it; a missing answer fails its caller',
  async () => {
    const throwing = coalesce(async () => {
      throw new Error('ip is missing');
    });
    assert.equal(await Promise.all(['a', 'b'].map((k) => settle(throwing(k)))), [
      'ip is missing',
      'ip is missing',
    ]);
    const short = coalesce(async () => [undefined]);
    assert.equal(await Promise.all(['a', 'b'].map((k) => settle(short(k)))), [
      'ok',
      'no answer for b',
    ]);
  },
);

Coalesce.run();
