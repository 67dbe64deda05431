// Running the API: open and migrate the store, load plans, listen, reload
// plans on SIGHUP, close cleanly on SIGINT/SIGTERM. Used by `serve` and `start`.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { ERR } from '../errors.js';
import type { AuthLimitOptions } from '../api/auth-limit.js';
import { PlanSet, type ReloadResult } from '../api/plans.js';
import { openStore } from '../store/open.js';
import type { Repository } from '../store/repository.js';
import { formatFinding } from '../cli/check.js';
import { loadPlanDir } from '../cli/store-options.js';

export interface ServerOptions {
  readonly port: number;
  readonly host: string;
  readonly db: string;
  /** PostgreSQL: connections of this process (default TIERBOOK_DB_POOL, else 10). */
  readonly dbPool?: number;
  readonly plans: string;
  readonly log?: boolean;
  /** Failed-authentication limiting (default DEFAULT_AUTH_LIMIT; max 0 turns it off). */
  readonly authLimit?: AuthLimitOptions;
  /** Partner admins may POST /v1/admin/reload (default: operator tokens only). */
  readonly partnerAdminsReload?: boolean;
}

/** A reload's findings and outcome on stderr, whether SIGHUP or the API asked for it. */
function reportReload(r: ReloadResult): void {
  for (const f of r.findings) process.stderr.write(formatFinding(f) + '\n');
  process.stderr.write(r.reloaded ? `plans reloaded: ${r.partners.join(', ')}\n` : 'plans not reloaded (errors above); the previous plans stay in force\n');
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly repo: Repository;
  readonly plans: PlanSet;
  readonly url: string;
}

/** How long SIGTERM/SIGINT waits for requests in flight before exiting anyway. */
export const DRAIN_MS = 10_000;

export async function runServer(command: string, opts: ServerOptions): Promise<RunningServer> {
  const loaded = await loadPlanDir(command, opts.plans);
  for (const f of loaded.findings) process.stderr.write(formatFinding(f) + '\n');
  const repo = await openStore(opts.db, opts.dbPool === undefined ? {} : { poolSize: opts.dbPool }); // migrates (serialized across processes)
  const plans = new PlanSet(loaded.plans, async () => loadPlanDir(command, opts.plans));
  const app = await buildApp({
    repo,
    plans,
    logger: opts.log === false ? false : { level: process.env.LOG_LEVEL ?? 'info' },
    ...(opts.authLimit ? { authLimit: opts.authLimit } : {}),
    reload: { partnerAdmins: opts.partnerAdminsReload ?? false, report: reportReload },
  });
  try {
    await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await app.close();
    await repo.close();
    const code = (err as NodeJS.ErrnoException).code;
    // one line for the operator, not a stack
    if (code === 'EADDRINUSE') throw ERR.PORT_IN_USE({ host: opts.host, port: opts.port, reason: 'the port is already in use (another server?); choose another with --port' });
    if (code === 'EACCES') throw ERR.PORT_IN_USE({ host: opts.host, port: opts.port, reason: 'not allowed (ports below 1024 need privileges)' });
    if (code === 'EADDRNOTAVAIL') throw ERR.PORT_IN_USE({ host: opts.host, port: opts.port, reason: 'no such address on this machine (check --host)' });
    throw err;
  }
  const onHup = (): void => {
    plans.reload().then(
      reportReload,
      (err: Error) => process.stderr.write(`plan reload failed: ${err.message}\n`),
    );
  };
  // Drain: stop accepting, answer what is in flight (requests arriving on open
  // connections meanwhile get 503 and Connection: close), close the store,
  // exit. Past DRAIN_MS the process exits anyway, saying so (status 1).
  const stop = (signal: NodeJS.Signals): void => {
    process.off('SIGHUP', onHup);
    process.stderr.write(`${signal}: draining (at most ${DRAIN_MS / 1000} s)\n`);
    const deadline = setTimeout(() => {
      process.stderr.write(`requests still running after ${DRAIN_MS / 1000} s; exiting without them\n`);
      process.exit(1);
    }, DRAIN_MS);
    deadline.unref();
    app
      .close()
      .then(() => repo.close())
      .then(
        () => {
          process.stderr.write('stopped\n');
          process.exit(0);
        },
        (err: Error) => {
          process.stderr.write(`stopping failed: ${err.message}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGHUP', onHup);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return { app, repo, plans, url: `http://${host}:${port}` };
}

export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}
