#!/usr/bin/env -S npx zx
// Entry point: loads the TypeScript CLI on Node (through tsx) or Deno (natively) and runs it.
if (!globalThis.Deno) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('./lib/cli.ts');
await main(globalThis.Deno ? Deno.args : process.argv.slice(2).filter((a, i, all) => !(i === 0 && /run\.mjs$/.test(a))));
