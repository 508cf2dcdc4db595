#!/usr/bin/env -S npx zx
// Entry point: Node runs the prebuilt bundle (.build/, made by `npm install`) when it matches the sources exactly,
// else the TypeScript sources through tsx (never a stale bundle); Deno runs the sources natively.
const argv = globalThis.Deno
  ? Deno.args
  : process.argv.slice(2).filter((a, i) => !(i === 0 && /run\.mjs$/.test(a)));
let cli;
if (globalThis.Deno) {
  cli = await import('./lib/cli/main.ts');
} else {
  const { freshBundle } = await import('./build/fresh.mjs');
  const bundle = process.env.RMQD_NO_BUNDLE
    ? undefined
    : freshBundle(new URL('.', import.meta.url));
  if (bundle) {
    cli = await import(new URL('./.build/cli.js', import.meta.url).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    cli = await import('./lib/cli/main.ts');
  }
}
await cli.main(argv);
