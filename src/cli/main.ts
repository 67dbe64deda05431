// The `tierbook` command line. Each command lives in its own module and is
// imported only when run, so `tierbook check` does not pay for fastify. The
// commands that start the HTTP API (serve, start) are not cli's: the entry
// (src/main/index.ts, what bin/tierbook.js runs) lends them, so cli and api
// never import each other.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { cliLine, TierbookError } from '../errors.js';
import { storeFailure } from '../store/failures.js';

type Register = (program: Command) => void;
type Load = () => Promise<{ register: Register }>;

/** The commands the entry lends (src/main): each registers one command on the program. */
export interface EntryCommands {
  readonly serve: Load;
  readonly start: Load;
}

/** In `--help` order; the entry's commands take their places (absent: not offered). */
const commands = (entry: EntryCommands | undefined): Load[] =>
  [
    () => import('./check.js'),
    () => import('./evaluate.js'),
    () => import('./quote.js'),
    () => import('./terms.js'),
    entry?.serve,
    () => import('./migrate.js'),
    () => import('./token.js'),
    () => import('./bill.js'),
    () => import('./import.js'),
    () => import('./subscription.js'),
    entry?.start,
    () => import('./diff.js'),
    () => import('./verify.js'),
    () => import('./documents.js'),
    () => import('./credit-note.js'),
    () => import('./void.js'),
    () => import('./copy.js'),
  ].filter((l): l is Load => l !== undefined);

/** package.json's version: ../../package.json from src/cli and from dist/cli alike. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs the command line; `entry` lends the commands above cli (src/main/index.ts passes them). */
export async function main(argv: string[], entry?: EntryCommands): Promise<number> {
  const program = new Command();
  program
    .name('tierbook')
    .description('Support offerings, request evaluation and billing for CSP partners')
    .version(version(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run `tierbook --help` for usage)');
  for (const load of commands(entry)) {
    const mod = await load();
    mod.register(program);
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; help shown because no command was given is a usage error
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      return 2;
    }
    // a registered error (a busy port, a full or read-only store): its one line, no stack
    const known = err instanceof TierbookError ? err : storeFailure(err);
    if (known) {
      process.stderr.write(cliLine(argv.find((a) => !a.startsWith('-')) ?? 'tierbook', known) + '\n');
      return known.exit;
    }
    throw err;
  }
}
