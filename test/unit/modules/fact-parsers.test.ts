// Fact parsers as tables (test/specs/facts/*.json): probe text → parsed facts; malformed text → a clear error.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FACT_SCRIPT_MARKER, parseFactOutput } from '../../../lib/execute/fact-script.ts';
import { parseFileFacts } from '../../../lib/modules/file-probe.ts';
import { parseServiceFacts } from '../../../lib/modules/service-facts.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import type { ProbeResult, Vars } from '../../../lib/shared/types.ts';

/** One row: the input, then either the parsed facts or a substring of the error. */
interface Row {
  name: string;
  result?: ProbeResult | null;
  facts?: unknown;
  error?: string;
}
interface Table<R extends Row> {
  parser: string;
  cases: R[];
}

type Loaded<R extends Row> = Table<R> & Record<string, unknown>;
const table = <R extends Row>(name: string): Loaded<R> =>
  JSON.parse(
    readFileSync(new URL(`../../specs/facts/${name}.json`, import.meta.url), 'utf8'),
  ) as Loaded<R>;

/** Runs one row: parsed facts must equal the row's, or the parser must throw an error containing the row's text. */
function check(row: Row, parse: () => unknown): void {
  if (row.error === undefined) {
    assert.equal(parse(), row.facts, row.name);
    return;
  }
  const wanted = `${row.name}: expected an error with ${JSON.stringify(row.error)}`;
  assert.throws(parse, (e: Error) => e.message.includes(row.error ?? ''), wanted);
}

const files = table<Row>('file-probe');
const Files = suite(files.parser);
Files('table', () => {
  const path = files.path as string;
  for (const row of files.cases)
    check(row, () => parseFileFacts(row.result ?? undefined, path, 'h1'));
});
Files.run();

// A fixed token: the parser reads it back from the script header, as it does from a real buildFactScript() script.
const TOKEN = 'rdf0123456789abcdef0123456789abcdef';
const header = (ids: string[]): string =>
  `${FACT_SCRIPT_MARKER}\n# token: ${TOKEN}\n# probes: ${JSON.stringify(ids)}\n`;
type FrameRow = Row & { probes?: string[]; script?: string; stdout: string };
const frames = table<FrameRow>('fact-script');
const Frames = suite(frames.parser);
Frames('table', () => {
  for (const row of frames.cases) {
    const script = row.script ?? header(row.probes ?? []);
    const stdout = row.stdout.replaceAll('{T}', TOKEN);
    check(row, () => Object.fromEntries(parseFactOutput(script, stdout)));
  }
});
Frames(
  'the fixed header is the one buildFactScript() writes (same marker and line prefixes)',
  async () => {
    const { buildFactScript } = await import('../../../lib/execute/fact-script.ts');
    const lines = buildFactScript([{ id: 'a', script: 'true' }]).split('\n');
    const built = [lines[0], lines[1]?.replace(/rdf[0-9a-f]{32}/, TOKEN), lines[2]];
    assert.equal(built, header(['a']).split('\n').slice(0, 3));
  },
);
Frames.run();

const services = table<Row>('service-probe');
const vctx = { host: 'h1', vars: {}, renderFile: (s: string) => s, resolveFile: (s: string) => s };
const args = serviceModule.validate(
  services.args as Vars,
  { file: 'spec.yaml', line: 1, col: 1 },
  vctx,
);
const Services = suite(services.parser);
Services('table', () => {
  for (const row of services.cases)
    check(row, () => parseServiceFacts(row.result ?? undefined, args, 'h1'));
});
Services.run();
