// suggest(): the nearest name within typo distance, for "did you mean" in every error about a mistyped name.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { editDistance, suggest } from '../../../lib/shared/suggest.ts';

const S = suite('suggest() offers the nearest candidate only for a near miss');
// word, candidates, suggestion
const CASES: Array<[string, string[], string | undefined]> = [
  ['loacl', ['example-prod', 'local'], 'local'],
  ['--chek', ['--check', '--repair', '--diff'], '--check'],
  ['broker_heep', ['broker_heap', 'broker_name'], 'broker_heap'],
  [
    'autoCreateTopicEnabled',
    ['autoCreateTopicEnable', 'autoCreateSubscriptionGroup'],
    'autoCreateTopicEnable',
  ],
  ['SendMessageThreadPoolNums', ['sendMessageThreadPoolNums'], 'sendMessageThreadPoolNums'],
  ['prod', ['local', 'staging'], undefined],
  ['local', ['local'], undefined],
  ['x', [], undefined],
];
for (const [word, candidates, expected] of CASES)
  S(`${word} → ${expected ?? 'nothing'}`, () => assert.is(suggest(word, candidates), expected));
S('edit distance counts a swap of neighbours as one edit and ignores case', () => {
  assert.is(editDistance('loacl', 'local'), 1);
  assert.is(editDistance('ABC', 'abc'), 0);
  assert.is(editDistance('kitten', 'sitting'), 3);
});
S.run();
