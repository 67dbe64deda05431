// Bundles the web console (console/src/main.ts) for the browser: one minified
// ES module app.js beside index.html and console.css. scripts/build.mjs calls
// it for dist/console/; tests call it to build into a temporary folder, so they
// never serve a stale dist/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Builds the console into `outDir` (created if missing); returns the folder. */
export async function buildConsole(outDir) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'console/src/main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'console.css']) copyFileSync(join(ROOT, 'console', f), join(outDir, f));
  return outDir;
}
