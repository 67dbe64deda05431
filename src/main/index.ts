// The composition root of `tierbook` (bin/tierbook.js runs dist/main/index.js):
// the one layer that may import api, app, store and cli alike. It runs the
// command line of src/cli and lends it the two commands that start the HTTP
// API, `serve` and `start` (./serve.ts, ./start.ts over ./server.ts), each
// imported only when the program is built, as cli imports its own.
import { main as cli } from '../cli/main.js';

export function main(argv: string[]): Promise<number> {
  return cli(argv, { serve: () => import('./serve.js'), start: () => import('./start.js') });
}
