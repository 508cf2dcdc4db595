// The newest RocketMQ archive in the controller's distribution cache, for tests that need real RocketMQ jars.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../lib/rocketmq/distribution.ts';

/** rocketmq-<version>-maven.tar.gz (it holds lib/*.jar), newest version first; undefined when the cache has none. */
export function newestRocketmqArchive(): string | undefined {
  const dir = defaultCacheDir();
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir)
    .filter((n) => /^rocketmq-[\d.]+-maven\.tar\.gz$/.test(n))
    .sort();
  return names.length === 0 ? undefined : join(dir, names[names.length - 1]!);
}
