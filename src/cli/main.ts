// Entry point of `tierbook`. Each command lives in its own module and is
// imported only when run, so `tierbook check` does not pay for fastify.
import { Command, CommanderError } from 'commander';

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
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('tierbook')
    .description('Support offerings, request evaluation and billing for CSP partners')
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
      // help and version are not errors; everything else commander raises is a usage error
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    throw err;
  }
}
