// Coalesces one-key questions asked in the same turn of the event loop into one batched answer (one process, not N).
import { setImmediate } from 'node:timers';

/** Answers many keys at once: one entry per key, in order; undefined means the key passed, an Error that it did not. */
export type CheckMany = (keys: string[]) => Promise<(Error | undefined)[]>;

interface Waiter {
  key: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A one-key check whose calls made in the same turn are answered by one `checkMany` call. Calls made while a batch is
 * answered start the next batch; no answer is remembered (every call is checked afresh).
 * @example const check = coalesce(checkRoutes); await Promise.all(['10.77.0.11', '10.77.0.12'].map(check)) // one batch
 */
export function coalesce(checkMany: CheckMany): (key: string) => Promise<void> {
  let waiting: Waiter[] = [];
  const flush = async (): Promise<void> => {
    const batch = waiting;
    waiting = [];
    try {
      const answers = await checkMany(batch.map((w) => w.key));
      batch.forEach((w, i) => {
        const answer = i < answers.length ? answers[i] : new Error(`no answer for ${w.key}`);
        if (answer === undefined) w.resolve();
        else w.reject(answer);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };
  return (key) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      // The first call of a turn schedules the batch; setImmediate runs after every call of this turn was made.
      if (waiting.length === 1) setImmediate(() => void flush());
    });
}
