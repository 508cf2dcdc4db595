// The one-round-trip fact script: every probe of a phase in one POSIX sh script, framed so outputs parse back exactly.
import { FactError } from '../shared/errors.ts';
import { quote } from '../shared/shell.ts';
import type { Probe, ProbeResult } from '../shared/types.ts';

/** First line of every fact script, so transports and tests can tell fact gathering from actions. */
export const FACT_SCRIPT_MARKER = '# rocketmq-deploy facts';

/** True when a script is a phase's fact-gathering script (made by buildFactScript), not an action. */
export function isFactScript(script: string): boolean {
  return script.startsWith(`${FACT_SCRIPT_MARKER}\n`);
}

const TOKEN_LINE = '# token: ';
const PROBES_LINE = '# probes: ';

/** A fresh random token per script: probe output cannot forge a frame it has never seen. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `rdf${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A probe as framed here; `raw` marks a script made by this runner (fact-joint.ts), run without eval. */
export type FramedProbe = Pick<Probe, 'id' | 'script'> & { raw?: boolean };

/** Drops repeated identical probes (two tasks asking the same question) and refuses one id with two scripts. */
function uniqueProbes(probes: FramedProbe[]): FramedProbe[] {
  const byId = new Map<string, FramedProbe>();
  for (const probe of probes) {
    const seen = byId.get(probe.id);
    if (seen && seen.script !== probe.script) {
      throw new FactError(
        `Cannot build the fact script: probe id "${probe.id}" is used by two different probes (give each probe its own id)`,
      );
    }
    byId.set(probe.id, probe);
  }
  return [...byId.values()];
}

/**
 * Composes all probes of a phase into one POSIX sh script (dash-safe). Each probe runs through `eval`
 * in its own subshell with stdin from /dev/null, so a failing probe, an `exit`, a `cd` or even a
 * syntax error stays inside it; its stdout is framed by lines carrying a random per-script token
 * and its exit code. Stderr passes through untouched (it never mixes with the frames).
 * @param probes the probes of one phase; identical repeats are sent once
 * @returns the script; its first line is FACT_SCRIPT_MARKER; pass it to parseFactOutput with the output
 * @throws FactError when one id names two different scripts
 * @example buildFactScript([{ id: 'hostname', script: 'hostname' }])
 */
export function buildFactScript(probes: FramedProbe[]): string {
  const unique = uniqueProbes(probes);
  const token = newToken();
  const lines = [
    FACT_SCRIPT_MARKER,
    `${TOKEN_LINE}${token}`,
    `${PROBES_LINE}${JSON.stringify(unique.map((p) => p.id))}`,
  ];
  unique.forEach((probe, index) => {
    // The leading newline of every frame line lets a probe end without one; the parser removes exactly that byte.
    lines.push(`printf '\\n%s B %s\\n' ${token} ${index}`);
    // A raw part is already a whole, well-formed sh command of this runner's own making (a joint pass): quoting it
    // once more would multiply the quotes of the probe scripts it carries.
    lines.push(
      probe.raw ? `(\n${probe.script}\n) </dev/null` : `( eval ${quote(probe.script)} ) </dev/null`,
    );
    lines.push(`printf '\\n%s E %s %s\\n' ${token} ${index} "$?"`);
  });
  lines.push(`printf '\\n%s END\\n' ${token}`);
  return `${lines.join('\n')}\n`;
}

/** Reads the token and the probe ids back from a script made by buildFactScript. */
function readHeader(script: string): { token: string; ids: string[] } {
  const lines = script.split('\n', 3);
  const token = lines[1]?.startsWith(TOKEN_LINE) ? lines[1].slice(TOKEN_LINE.length) : '';
  const idsText = lines[2]?.startsWith(PROBES_LINE) ? lines[2].slice(PROBES_LINE.length) : '';
  if (lines[0] !== FACT_SCRIPT_MARKER || !/^rdf[0-9a-f]{32}$/.test(token) || idsText === '') {
    throw new FactError(
      'Cannot parse fact output: the script given is not one made by buildFactScript()',
    );
  }
  return { token, ids: JSON.parse(idsText) as string[] };
}

// The frame's exit code is what `$?` printed: anything else means the frame was not the script's own (NaN would make
// a failed probe look like neither success nor failure).
function exitCode(id: string, stdout: string, start: number, end: number): number {
  const text = stdout.slice(start, end);
  if (!/^\d{1,3}$/.test(text))
    throw new FactError(
      `Fact output is garbled: the exit code of probe "${id}" is not a number (${JSON.stringify(text.slice(0, 40))}); run again, and check the host's shell`,
    );
  return Number(text);
}

function missingFrame(id: string, what: string): FactError {
  return new FactError(
    `Fact output is cut short: ${what} of probe "${id}" is missing (the connection dropped or the host killed the fact script; check the host's memory and disk, then run again)`,
  );
}

/**
 * Parses what a fact script printed back into one result per probe id. Text outside frames
 * (e.g. a login banner) is ignored; a probe's stdout is returned exactly, trailing newline included.
 * @param script the script returned by buildFactScript (it carries the token and the probe ids)
 * @param stdout everything the script printed on stdout
 * @returns probe id → { stdout, code }
 * @throws FactError when a frame is missing (truncated output)
 * @example parseFactOutput(script, result.stdout).get('hostname')?.stdout
 */
export function parseFactOutput(script: string, stdout: string): Map<string, ProbeResult> {
  const { token, ids } = readHeader(script);
  const results = new Map<string, ProbeResult>();
  let position = 0;
  ids.forEach((id, index) => {
    const begin = `\n${token} B ${index}\n`;
    const start = stdout.indexOf(begin, position);
    if (start < 0) throw missingFrame(id, 'the start');
    const bodyStart = start + begin.length;
    const endAt = stdout.indexOf(`\n${token} E ${index} `, bodyStart);
    const codeStart = endAt + `\n${token} E ${index} `.length;
    const codeEnd = stdout.indexOf('\n', codeStart);
    if (endAt < 0 || codeEnd < 0) throw missingFrame(id, 'the end');
    results.set(id, {
      stdout: stdout.slice(bodyStart, endAt),
      code: exitCode(id, stdout, codeStart, codeEnd),
    });
    position = codeEnd;
  });
  if (!stdout.includes(`\n${token} END\n`, position))
    throw missingFrame(ids.at(-1) ?? '(none)', 'the closing line after the last probe');
  return results;
}
