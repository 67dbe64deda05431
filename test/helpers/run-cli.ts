// Runs the CLI in this process, as bin/tierbook.js does from dist/, for tests
// that spawn `node --import tsx test/helpers/run-cli.ts <command> …`.
import { main } from '../../src/main/index.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error && err.stack ? err.stack : String(err));
    process.exitCode = 1;
  },
);
