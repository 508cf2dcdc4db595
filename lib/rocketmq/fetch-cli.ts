// Command line that warms the distribution cache: `tsx lib/rocketmq/fetch-cli.ts [maven:5.5.0|zip|url]`; prints the archive as JSON.
import process from 'node:process';
import { resolveDistribution } from './distribution.ts';

/** Default source when none is given: the newest version whose client jar Maven Central serves here. */
export const DEFAULT_SOURCE = 'maven:5.5.0';

async function main(argv: string[]): Promise<number> {
  const sources = argv.length > 0 ? argv : [DEFAULT_SOURCE];
  for (const source of sources) {
    const started = Date.now();
    try {
      const dist = await resolveDistribution(source);
      console.log(JSON.stringify({ source, ...dist, ms: Date.now() - started }));
    } catch (error) {
      console.error((error as Error).message);
      return 1;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
