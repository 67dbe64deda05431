// Compiles src/ to dist/ with esbuild (transpile only, one output file per
// source file). `npm install` runs this through `prepare`, so it must be quick;
// type checking is `npm run typecheck` (tsc), which takes minutes on 2 cores.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsole } from './build-console.mjs';

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: sources('src'),
  outdir: 'dist',
  outbase: 'src',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});

// the web console: dist/console/ (served at GET /console)
await buildConsole('dist/console');
