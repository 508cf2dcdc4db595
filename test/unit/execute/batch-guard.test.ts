// A batch item's guard: passes exactly when its probes answer as planned, comparing small text answers without a process.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  guardScript,
  LITERAL_GUARD_MAX_CHARS,
  type GuardProbe,
} from '../../../lib/execute/batch-trip.ts';
import { quote } from '../../../lib/shared/shell.ts';

const G = suite('batch guard');

/** A probe that prints `actual` and exits `code`, expected to print `expected` and exit 0. */
const probe = (actual: string, expected: string, text = true, code = 0): GuardProbe => ({
  script: `printf '%s' ${quote(actual)}; exit ${code}`,
  expected: { stdout: expected, code: 0 },
  text,
});

/** Runs the guard under dash with `sha256sum` shadowed by a function that logs its use; exit code and whether it ran. */
function runGuard(probes: GuardProbe[]): { passed: boolean; hashed: boolean } {
  const spy = `sha256sum() { echo hashed >&2; command sha256sum "$@"; }\n`;
  const r = spawnSync('dash', ['-c', `${spy}${guardScript(probes)}`], { encoding: 'utf8' });
  return { passed: r.status === 0, hashed: r.stderr.includes('hashed') };
}

G('a small text answer is compared by the shell: equal passes, no sha256sum started', () => {
  assert.equal(runGuard([probe('exists=0\nparent=1\n', 'exists=0\nparent=1\n')]), {
    passed: true,
    hashed: false,
  });
});

G('one character, a lost trailing newline or another exit code fails the guard', () => {
  const expected = 'exists=1\nmode=644\n';
  assert.is(runGuard([probe('exists=1\nmode=640\n', expected)]).passed, false);
  assert.is(runGuard([probe('exists=1\nmode=644', expected)]).passed, false);
  assert.is(runGuard([probe(`${expected}\n`, expected)]).passed, false);
  assert.is(runGuard([probe(expected, expected, true, 1)]).passed, false);
});

G('an answer that may hold NUL bytes, or a long one, goes through sha256sum', () => {
  assert.equal(runGuard([probe('a\n', 'a\n', false)]), { passed: true, hashed: true });
  const withNul = { ...probe('', 'ab\n', false), script: "printf 'a\\000b\\n'" };
  assert.equal(runGuard([withNul]).passed, false, 'the NUL is seen');
  const long = 'x'.repeat(LITERAL_GUARD_MAX_CHARS);
  assert.equal(runGuard([probe(long, long)]), { passed: true, hashed: true });
  assert.is(runGuard([probe(`${long}y`, long)]).passed, false);
});

G('several probes: each answer in order, each must match', () => {
  const two = [probe('one\n', 'one\n'), probe('two\n', 'two\n')];
  assert.equal(runGuard(two), { passed: true, hashed: false });
  assert.is(runGuard([probe('two\n', 'one\n'), probe('one\n', 'two\n')]).passed, false);
});

G(
  'arbitrary text (quotes, $(), newlines) passes exactly when it is what was planned (property)',
  () => {
    const text = fc
      .string({ unit: 'grapheme', maxLength: 120 })
      .map((s) => s.replaceAll('\u0000', ''));
    const tricky = fc.constantFrom("'", '$(touch /tmp/x)', '\n', '\n\n', '`id`', '\\', '"', '.');
    const value = fc.oneof(
      text,
      tricky,
      fc.tuple(text, tricky).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(value, value, (actual, expected) => {
        const { passed, hashed } = runGuard([probe(actual, expected)]);
        return passed === (actual === expected) && !hashed;
      }),
      { numRuns: 60 },
    );
  },
);

G.run();
