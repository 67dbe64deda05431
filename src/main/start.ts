// `tierbook start` (what `npm start` runs): a ready-to-try server on
// ./data/tierbook.db with the plans of ./plans, a demo seeded on first run,
// and a fresh admin token printed with the URLs to open: the API reference,
// the console (signed in by the token in the URL's fragment, which never
// reaches a server or a log), and the demo statement as a document link that
// opens in a plain browser for 7 days.
import type { Command } from 'commander';
import { defaultDb, defaultPlans, usage } from '../cli/store-options.js';
import type { Repository } from '../store/repository.js';
import type { MadeLink } from '../app/links.js';

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
      let admin: StartBanner['admin'];
      if (partner) {
        const token = await s.repo.createToken(partner, 'admin');
        const demo = seeded.find((d) => d.partner === partner);
        admin = { partner, token, ...(demo ? { statement: await demoStatement(s.repo, partner, token, `statements/${demo.customer}/${demo.period}`, Date.now()) } : {}) };
      }
      process.stdout.write(startBanner({ url: s.url, db: opts.db, ...(admin ? { admin } : {}) }).join('\n') + '\n');
    });
}

/** What `start` prints, given the server's URL, its store and (with a plan) the admin token and the demo statement. */
export interface StartBanner {
  readonly url: string;
  readonly db: string;
  readonly admin?: { readonly partner: string; readonly token: string; readonly statement?: { readonly path: string; readonly link: MadeLink } };
}

/** The demo statement's HTML as a document link valid 7 days, made with the admin token. */
export async function demoStatement(repo: Repository, partner: string, token: string, path: string, nowMs: number): Promise<{ path: string; link: MadeLink }> {
  const { LINK_TTL, makeLink } = await import('../app/links.js');
  const info = await repo.findToken(token);
  if (!info) throw new Error('the token just created is not found');
  return { path, link: await makeLink(repo, partner, info.id, `${path}?format=html`, LINK_TTL.default, nowMs) };
}

export function startBanner(b: StartBanner): string[] {
  const out = [`tierbook is running on ${b.url}`, `  API docs (OpenAPI): ${b.url}/docs`];
  if (b.admin) {
    const { partner, token, statement } = b.admin;
    out.push(`  admin token for partner "${partner}": ${token}`);
    // the fragment is read once by the console and removed from the address bar; browsers never send it
    out.push(`  console: ${b.url}/console/#token=${token}`);
    if (statement) {
      const api = `${b.url}/v1/partners/${partner}/${statement.path}?format=html`;
      out.push(
        `  a statement (opens in a browser until ${statement.link.expiresAt}): ${b.url}${statement.link.url}`,
        `    curl -H "Authorization: Bearer ${token}" "${api}" > statement.html`,
      );
    }
    out.push(`  (in /docs, press "Authorize" and paste the token to try every route)`);
  }
  out.push(`  data: ${b.db}; stop with Ctrl-C`);
  return out;
}
