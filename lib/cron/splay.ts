// --splay: a random delay before a cron run takes its lock, so many controllers do not hit hosts at the same second.
import { setTimeout as sleepMs } from 'node:timers/promises';

/** Replaceable randomness and sleep, for tests. */
export interface SplayDeps {
  /** A number in [0, 1). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sleeps a random whole number of seconds from 0 to `seconds` (inclusive) and returns it.
 * @param announce called with the chosen delay before sleeping (the CLI prints it on a terminal only)
 * @example const waited = await splay(60, (s) => out(`splay: waiting ${s}s\n`))
 */
export async function splay(
  seconds: number,
  announce: (seconds: number) => void = () => {},
  deps: SplayDeps = {},
): Promise<number> {
  if (seconds <= 0) return 0;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined));
  const delay = Math.min(seconds, Math.floor(random() * (seconds + 1)));
  announce(delay);
  if (delay > 0) await sleep(delay * 1000);
  return delay;
}

/**
 * Parses the --splay value: whole seconds from 0 to 86400.
 * @returns undefined when the text is not valid
 */
export function parseSplaySeconds(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 86400 ? n : undefined;
}
