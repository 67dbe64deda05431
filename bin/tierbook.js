#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare);
// dist/main/index.js is the composition root (src/main/index.ts).
import('../dist/main/index.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 1; },
);
