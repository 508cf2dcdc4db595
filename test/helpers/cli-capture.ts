// Runs cli() in-process and keeps what it wrote: one harness for every CLI test instead of a copy per file.
import { cli, type CliIO } from '../../lib/cli/main.ts';

export interface CliOutcome {
  code: number;
  out: string;
  err: string;
}

/**
 * cli(argv) with stdout and stderr captured as text; `io` overrides the rest (tty, deps, clock, ...).
 * @example const { code, err } = await runCapturing(['play.yaml', '-i', dir, '--check'], { deps });
 */
export async function runCapturing(argv: string[], io: Partial<CliIO> = {}): Promise<CliOutcome> {
  let out = '';
  let err = '';
  const code = await cli(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    tty: false,
    ...io,
  });
  return { code, out, err };
}
