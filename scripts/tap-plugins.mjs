// `npm test`'s pretest: builds tap's plugin set before tap starts, when it is
// not the one package.json's "tap.plugin" asks for (after every `npm ci` or
// `npm install`, which bring tap's default set, @tapjs/typescript included).
// tap notices the difference itself and rebuilds, but only after its runner
// has chosen the test processes' loaders from the old set: on that first run
// every test file also loads ts-node (@tapjs/typescript) beside tsx, which
// doubled the suite's wall time on a fresh clone, CI's case (tapjs/tapjs#974;
// docs/performance.md, "The test suite's own cost"). When the set is already
// right this costs about half a second; a build about 8 s.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TapConfig } from '@tapjs/config';
import { signature } from '@tapjs/test';

const config = await TapConfig.load();
if (signature !== config.pluginSignature) {
  const tap = fileURLToPath(import.meta.resolve('tap/package.json').replace(/package\.json$/, 'dist/esm/run.mjs'));
  const r = spawnSync(process.execPath, [tap, 'build'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`tap build failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}
