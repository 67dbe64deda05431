// `tierbook start` (what `npm start` runs): a ready-to-try server on
// ./data/tierbook.db with the plans of ./plans, a demo seeded on first run,
// and a fresh admin token printed with the URLs to open.
import type { Command } from 'commander';
import { defaultDb, defaultPlans, usage } from '../cli/store-options.js';

export function register(program: Command): void {
  program
    .command('start')
    .description('migrate, seed a demo on first run, and serve (what `npm start` runs)')
    .option('--port <port>', 'port (env PORT)', process.env.PORT || '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <file|url>', 'SQLite database file or postgres:// URL (env TIERBOOK_DB, DATABASE_URL)', defaultDb())
    .option('--plans <dir>', 'plans directory (env TIERBOOK_PLANS)', defaultPlans())
    .action(async (opts: { port: string; host: string; db: string; plans: string }) => {
      const { runServer, parsePort } = await import('./server.js');
      const { seedDemo } = await import('../cli/demo.js');
      const port = parsePort(opts.port);
      if (port === null) usage('start', `--port must be a number from 0 to 65535, got "${opts.port}"`);
      const s = await runServer('start', { port, host: opts.host, db: opts.db, plans: opts.plans, log: false });
      const partners = s.plans.partners();
      if (partners.length === 0) {
        process.stderr.write(`no valid plan in ${opts.plans}; the API runs but has no partner (run \`tierbook check ${opts.plans}\`)\n`);
      }
      const seeded = await seedDemo(s.repo, partners.map((p) => s.plans.get(p)!));
      const partner = partners[0];
      const out = [`tierbook is running on ${s.url}`, `  API docs (OpenAPI): ${s.url}/docs`];
      if (partner) {
        const token = await s.repo.createToken(partner, 'admin');
        const demo = seeded.find((d) => d.partner === partner);
        out.push(`  admin token for partner "${partner}": ${token}`);
        if (demo) {
          const url = `${s.url}/v1/partners/${partner}/statements/${demo.customer}/${demo.period}?format=html`;
          out.push(`  a statement:  ${url}`, `    curl -H "Authorization: Bearer ${token}" "${url}" > statement.html`);
        }
        out.push(`  (in /docs, press "Authorize" and paste the token to try every route)`);
      }
      out.push(`  data: ${opts.db}; stop with Ctrl-C`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
