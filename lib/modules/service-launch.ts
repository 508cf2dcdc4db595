// The launch a PID-file service was started with (command, environment, user, folder) as a digest recorded at start:
// a process started with another launch than the declared one is running old settings (a heap, a TLS mode) and is
// restarted like one running an old config file. systemd services get the same from their unit file's checksum.
import { createHash } from 'node:crypto';
import type { Change } from '../shared/types.ts';
import type { ServiceArgs } from './service.ts';

/** The record line's key in `<pidfile>.config`, beside `start` and `sum`. */
export const LAUNCH_KEY = 'launch';

/**
 * sha256 (hex) of everything that decides how the process is launched; environment in name order, so only a
 * different value, never a different spelling order, counts as a change.
 * @example launchDigest(args).length // => 64
 */
export function launchDigest(args: ServiceArgs): string {
  const env = Object.entries(args.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const launch = { command: args.command, env, user: args.user ?? '', cwd: args.cwd ?? '' };
  return createHash('sha256').update(JSON.stringify(launch)).digest('hex');
}

/**
 * The change a restart would make when the running process was launched otherwise than declared; none when the
 * supervisor records no launch (systemd: its unit file stands for it).
 * @param recorded the digest recorded at start, '' when the record has none (started by an older rocketmq-deploy)
 */
export function staleLaunch(args: ServiceArgs, recorded: string | undefined): Change[] {
  if (recorded === undefined) return [];
  const declared = launchDigest(args);
  if (recorded === declared) return [];
  return [
    {
      item: 'launch (command line, environment, user, folder)',
      before: `started with ${recorded === '' ? 'an unrecorded launch' : recorded.slice(0, 8)}`,
      after: declared.slice(0, 8),
    },
  ];
}
