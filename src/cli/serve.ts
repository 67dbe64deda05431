// `tierbook serve`: the HTTP API (SPEC §6) on --host:--port; migrates the store first.
import type { Command } from 'commander';
import { usage, withDb, withPlans } from './store-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the HTTP API (migrates the store at start)')
    .option('--port <port>', 'port to listen on (env PORT)', process.env.PORT || '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1');
  withPlans(withDb(cmd)).action(async (opts: { port: string; host: string; db: string; plans: string }) => {
    const { runServer, parsePort } = await import('./server.js');
    const port = parsePort(opts.port);
    if (port === null) usage('serve', `--port must be a number from 0 to 65535, got "${opts.port}"`);
    const s = await runServer('serve', { port, host: opts.host, db: opts.db, plans: opts.plans });
    process.stderr.write(`tierbook API on ${s.url} (docs: ${s.url}/docs; partners: ${s.plans.partners().join(', ') || 'none'})\n`);
  });
}
