// Joint questions: members answered from one pass, alone when their kind has one member, failed when it is garbled.
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { factCommand, questionKey, type Question } from '../../../lib/execute/fact-trip.ts';
import { joinQuestions } from '../../../lib/execute/fact-joint.ts';
import type { ProbeJoiner } from '../../../lib/shared/probe-joint.ts';
import { quote } from '../../../lib/shared/shell.ts';
import { suite } from '../../helpers/suite.ts';

const Joint = suite('joinQuestions');

/** Echoes its items, one per line; `garble` makes split() refuse, `failPass` makes the pass exit 1. */
function echoJoiner(options: { garble?: boolean; failPass?: boolean } = {}): ProbeJoiner {
  return {
    script: (items) =>
      options.failPass ? 'exit 1' : (items as string[]).map((i) => `echo ${i}`).join('\n'),
    split: (stdout, items) => {
      const lines = stdout.trimEnd().split('\n');
      if (options.garble || lines.length !== items.length) throw new Error('does not fit');
      return lines.map((l) => ({ stdout: `${l} (joint)\n`, code: 0 }));
    },
  };
}

const question = (word: string, joiner?: ProbeJoiner, become = false): Question => ({
  key: questionKey(`echo ${word}`, become),
  script: `echo ${word}`,
  become,
  needed: true,
  joint: joiner ? { joiner, item: word } : undefined,
});

function ask(questions: Question[]): Map<string, { stdout: string; code: number }> {
  const { command, parse } = factCommand(questions);
  const r = spawnSync('sh', ['-c', 's=$(cat); { eval "$s"; } </dev/null'], {
    input: command,
    encoding: 'utf8',
  });
  return parse(r.stdout);
}

Joint('members of a kind are answered from one pass, the others by their own scripts', () => {
  const joiner = echoJoiner();
  const answers = ask([question('a', joiner), question('plain'), question('b', joiner)]);
  assert.equal(answers.get(questionKey('echo a', false)), { stdout: 'a (joint)\n', code: 0 });
  assert.equal(answers.get(questionKey('echo b', false)), { stdout: 'b (joint)\n', code: 0 });
  assert.equal(answers.get(questionKey('echo plain', false)), { stdout: 'plain\n', code: 0 });
  assert.is(answers.size, 3, 'no joint question leaks into the answers');
});

Joint('a kind with one member is asked alone; sudo and plain questions never share a pass', () => {
  const joiner = echoJoiner();
  const { questions } = joinQuestions([question('a', joiner), question('x')]);
  assert.equal(
    questions.map((q) => q.script),
    ['echo a', 'echo x'],
  );
  const answers = ask([question('a', joiner), question('b', joiner, true)]);
  assert.is(answers.get(questionKey('echo a', false))?.stdout, 'a\n');
});

Joint('a pass that exits non-zero falls back to each member script in the same trip', () => {
  const joiner = echoJoiner({ failPass: true });
  const answers = ask([question('a', joiner), question('b', joiner)]);
  assert.equal(answers.get(questionKey('echo a', false)), { stdout: 'a\n', code: 0 });
  assert.equal(answers.get(questionKey('echo b', false)), { stdout: 'b\n', code: 0 });
});

Joint('output that does not fit its items fails every member instead of answering wrongly', () => {
  const joiner = echoJoiner({ garble: true });
  const answers = ask([question('a', joiner), question('b', joiner)]);
  assert.equal(answers.get(questionKey('echo a', false)), { stdout: '', code: 1 });
  assert.equal(answers.get(questionKey('echo b', false)), { stdout: '', code: 1 });
});

Joint('the joint question is needed when any member is', () => {
  const joiner = echoJoiner();
  const ahead = { ...question('a', joiner), needed: false };
  const { questions } = joinQuestions([ahead, question('b', joiner)]);
  assert.equal(
    questions.map((q) => q.needed),
    [true],
  );
});

Joint("the members' own scripts travel quoted once (the pass is framed without eval)", () => {
  const joiner = echoJoiner();
  const { command } = factCommand([question("it's a", joiner), question("it's b", joiner)]);
  assert.ok(
    command.includes(quote("echo it's a")),
    'the fallback script is quoted once, as any probe',
  );
  assert.not.ok(command.includes(quote(quote("echo it's a"))), 'and not twice');
});

Joint.run();
