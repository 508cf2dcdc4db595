// uvu's suite() whose before/after hooks cannot fail silently: uvu swallows a throwing hook and still exits 0.
import process from 'node:process';
import { suite as uvuSuite, type Callback, type Test } from 'uvu';
import { errorText, harness } from './harness.ts';

type Context = Record<string, unknown>;

/**
 * A uvu suite whose `before`/`after` errors are recorded for the runner (which fails the file with their text),
 * printed at once, and set a failing exit code even outside the runner. After a failed `before`, every test of
 * the suite fails with that error instead of running half set up.
 * @example const S = suite('SshTransport'); S.before(startSshd); S('exec', async () => { … }); S.run();
 */
export function suite<T extends Context = Context>(name: string): Test<T> {
  const s = uvuSuite<T>(name);
  const { before, after } = s;
  let beforeFailed: unknown;
  const record = (hook: 'before' | 'after', error: unknown): void => {
    const message = errorText(error);
    harness().hookErrors.push({ file: harness().file, suite: name, hook, message });
    process.stderr.write(`\n${hook} hook of suite "${name}" threw: ${message}\n`);
    process.exitCode = 1;
  };
  const guarded =
    (hook: 'before' | 'after', fn: Callback<T>): Callback<T> =>
    async (context) => {
      try {
        await fn(context);
      } catch (error) {
        if (hook === 'before') beforeFailed ??= error;
        record(hook, error);
      }
    };
  before.each(() => {
    if (beforeFailed !== undefined)
      throw new Error(`before hook failed: ${errorText(beforeFailed)}`);
  });
  s.before = Object.assign((fn: Callback<T>) => before(guarded('before', fn)), {
    each: before.each,
  });
  s.after = Object.assign((fn: Callback<T>) => after(guarded('after', fn)), { each: after.each });
  return s;
}
