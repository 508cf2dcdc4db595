// Builds .build/cli.js (run by `npm install`/`npm ci` through `prepare`): the CLI as plain JS, so runs skip tsx.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { fingerprint, STAMP } from './fresh.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const OUT_DIR = join(ROOT, '.build');

/**
 * Keeps the sources' own view of where they are: `import.meta.url` becomes the source file's URL (relative to the
 * bundle, so the folder may move), and `import(NAME)` of a `const NAME = './x.ts'` becomes a literal import esbuild
 * can bundle (else the bundle would look for a .ts file next to itself and silently miss it).
 */
const keepSourcePaths = {
  name: 'keep-source-paths',
  setup(build) {
    build.onLoad({ filter: /\/lib\/.*\.ts$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      const fromBundle = relative(OUT_DIR, args.path).split('\\').join('/');
      text = text.replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
      );
      for (const [, name, target] of text.matchAll(/const (\w+) = '(\.{1,2}\/[^']+\.ts)';/g)) {
        text = text.replaceAll(`import(${name})`, `import(${JSON.stringify(target)})`);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

/** Builds into a temp folder and renames it into place, so a half-written bundle is never picked up. */
export async function bundle() {
  const { build } = await import('esbuild');
  // Taken before building: a source edited during the build leaves the bundle stale, never wrongly fresh.
  const sources = fingerprint(ROOT);
  const temp = `${OUT_DIR}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await build({
    entryPoints: { cli: join(ROOT, 'lib', 'cli', 'main.ts') },
    outdir: temp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [keepSourcePaths],
    logLevel: 'warning',
    // Bundled CommonJS packages (handlebars) call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __rmqdRequire } from 'node:module'; const require = __rmqdRequire(import.meta.url);",
    },
  });
  await writeFile(join(temp, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(temp, STAMP), sources);
  await rm(OUT_DIR, { recursive: true, force: true });
  await rename(temp, OUT_DIR);
}

// `npm install` must not fail over the bundle: without it run.mjs runs the sources through tsx (slower start).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle().catch((error) => {
    process.stderr.write(
      `rocketmq-deploy: no prebuilt bundle (runs will use tsx): ${error?.message ?? error}\n`,
    );
  });
}
