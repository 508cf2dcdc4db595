// The one env → inventory folder rule and the one parseArgs wrapper, shared by the run, cron and status commands.
import * as assert from 'uvu/assert';
import { inventoryFolder, parseCommandLine } from '../../../lib/cli/options.ts';
import { parseStatusOptions } from '../../../lib/rocketmq/cli-status.ts';
import { suite } from '../../helpers/suite.ts';

const S = suite('inventoryFolder and parseCommandLine');
const CASES: Array<
  [string, { inventory?: string; env?: string }, string, string | undefined, string | RegExp]
> = [
  ['-i as given', { inventory: 'x/inv' }, '', 'local', 'x/inv'],
  ['--env under inventory/', { env: 'prod' }, '', 'local', '/p/inventory/prod'],
  ['neither: the fallback', {}, '', 'local', '/p/inventory/local'],
  ['neither, no fallback', {}, 'disable', undefined, /^disable: give --env NAME or -i DIR/],
  [
    'both',
    { inventory: 'a', env: 'b' },
    'status',
    'local',
    /^status: give either -i\/--inventory or --env, not both/,
  ],
  [
    '--env climbing out',
    { env: '..' },
    'status',
    'local',
    /^status: --env "\.\." must be a plain folder name/,
  ],
];
for (const [what, values, command, fallback, want] of CASES) {
  S(`inventoryFolder: ${what}`, () => {
    if (typeof want === 'string') assert.is(inventoryFolder(values, '/p', command, fallback), want);
    else assert.throws(() => inventoryFolder(values, '/p', command, fallback), want);
  });
}
S('status uses the same rule: --env ../etc is refused, not read', () => {
  assert.throws(
    () => parseStatusOptions(['--env', '../etc'], '/p'),
    /status: --env "\.\.\/etc" must be a plain folder name/,
  );
});
S("a subcommand's unknown option says which subcommand, with did-you-mean", () => {
  const spec = { reason: { type: 'string' } } as const;
  assert.throws(
    () => parseCommandLine(['--reasn', 'x'], spec, 'disable'),
    /^disable: unknown option "--reasn"; did you mean --reason\?/,
  );
});
S(
  'status goes through the same wrapper: an unknown option is a UsageError with did-you-mean',
  () => {
    assert.throws(
      () => parseStatusOptions(['--jsn'], '/p'),
      /^status: unknown option "--jsn"; did you mean --json\?/,
    );
    assert.throws(
      () => parseStatusOptions(['extra'], '/p'),
      /^status: unexpected argument "extra"; see --help/,
    );
  },
);
S.run();
