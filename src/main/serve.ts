// `tierbook serve`: the HTTP API (SPEC §6) on --host:--port; migrates the store first.
import type { Command } from 'commander';
import { DEFAULT_AUTH_LIMIT } from '../api/auth-limit.js';
import { dbPoolOf, usage, withDb, withPlans } from '../cli/store-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the HTTP API (migrates the store at start)')
    .option('--port <port>', 'port to listen on (env PORT)', process.env.PORT || '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--auth-fail-max <n>',
      'failed authentications allowed per client address in a window before 429; 0 turns limiting off (env TIERBOOK_AUTH_FAIL_MAX)',
      process.env.TIERBOOK_AUTH_FAIL_MAX || String(DEFAULT_AUTH_LIMIT.max),
    )
    .option(
      '--auth-fail-window <seconds>',
      'the window, and how long a client stays refused (env TIERBOOK_AUTH_FAIL_WINDOW)',
      process.env.TIERBOOK_AUTH_FAIL_WINDOW || String(DEFAULT_AUTH_LIMIT.windowMs / 1000),
    )
    .option(
      '--partner-admins-reload',
      "let any partner's admin token POST /v1/admin/reload (default: operator tokens only; env TIERBOOK_PARTNER_ADMINS_RELOAD=1)",
      process.env.TIERBOOK_PARTNER_ADMINS_RELOAD === '1',
    );
  withPlans(withDb(cmd)).action(async (opts: { port: string; host: string; db: string; dbPool?: string; plans: string; authFailMax: string; authFailWindow: string; partnerAdminsReload: boolean }) => {
    const { runServer, parsePort } = await import('./server.js');
    const port = parsePort(opts.port);
    if (port === null) usage('serve', `--port must be a number from 0 to 65535, got "${opts.port}"`);
    if (!/^\d{1,6}$/.test(opts.authFailMax)) usage('serve', `--auth-fail-max must be a whole number, got "${opts.authFailMax}"`);
    if (!/^\d{1,6}$/.test(opts.authFailWindow) || Number(opts.authFailWindow) === 0) {
      usage('serve', `--auth-fail-window must be a whole number of seconds from 1, got "${opts.authFailWindow}"`);
    }
    const authLimit = { max: Number(opts.authFailMax), windowMs: Number(opts.authFailWindow) * 1000 };
    const dbPool = dbPoolOf('serve', opts);
    const s = await runServer('serve', { port, host: opts.host, db: opts.db, ...(dbPool === undefined ? {} : { dbPool }), plans: opts.plans, authLimit, partnerAdminsReload: opts.partnerAdminsReload });
    process.stderr.write(`tierbook API on ${s.url} (docs: ${s.url}/docs; partners: ${s.plans.partners().join(', ') || 'none'})\n`);
  });
}
