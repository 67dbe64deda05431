// Entry point of `tierbook`. Each command lives in its own module and is
// imported only when run, so `tierbook check` does not pay for fastify.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { cliLine, TierbookError } from '../errors.js';
import { storeFailure } from '../store/failures.js';

type Register = (program: Command) => void;

const commands: Array<() => Promise<{ register: Register }>> = [
  () => import('./check.js'),
  () => import('./evaluate.js'),
  () => import('./quote.js'),
  () => import('./terms.js'),
  () => import('./serve.js'),
  () => import('./migrate.js'),
  () => import('./token.js'),
  () => import('./bill.js'),
  () => import('./import.js'),
  () => import('./start.js'),
  () => import('./diff.js'),
  () => import('./verify.js'),
  () => import('./copy.js'),
];

/** package.json's version: ../../package.json from src/cli and from dist/cli alike. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('tierbook')
    .description('Support offerings, request evaluation and billing for CSP partners')
    .version(version(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run `tierbook --help` for usage)');
  for (const load of commands) {
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
