// The work of `tierbook bill`: one statement per customer; a progress bar on a
// terminal, plain progress lines on stderr otherwise (logs stay readable).
// On PostgreSQL up to 8 customers are priced at once (billCustomers); files,
// progress, results and statement numbers still come in customer order.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { BillingError } from '../billing/statement.js';
import { billConcurrency, billCustomers, billedFiles, type DocumentFormat } from '../app/bill.js';
import { isPostgresUrl } from '../store/open.js';
import { dbPoolOf, loadPlanDir, openDb } from './store-options.js';
import { ERR, TierbookError } from '../errors.js';

/** Finalize refusals (§9.4): listed with their code; the run goes on and exits 1. */
const REFUSALS: ReadonlySet<string> = new Set(['PERIOD_NOT_ENDED', 'SPEND_MISSING']);

interface BillOptions {
  readonly out?: string;
  /** What --out writes of each customer; default json. */
  readonly formats?: readonly DocumentFormat[];
  /** The documents' locale; default the customer's, else the partner's. */
  readonly locale?: string;
  readonly finalize: boolean;
  readonly force?: boolean;
  /** Epoch ms now (tests fix it); default the machine's clock. */
  readonly nowMs?: number;
  readonly db: string;
  readonly dbPool?: string;
  readonly plans: string;
}

interface Progress {
  tick(customer: string): void;
  stop(): void;
}

function progress(total: number): Progress {
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar({ format: 'billing [{bar}] {value}/{total} {customer}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { customer: '' });
    return { tick: (customer) => bar.increment(1, { customer }), stop: () => bar.stop() };
  }
  let done = 0;
  return { tick: (customer) => process.stderr.write(`billed ${++done}/${total} ${customer}\n`), stop: () => {} };
}

/** Customers priced at once: 1 on SQLite, on PostgreSQL min(8, the pool's connections). */
async function concurrencyOf(opts: BillOptions): Promise<number> {
  if (!isPostgresUrl(opts.db)) return billConcurrency(null);
  const { DEFAULT_POOL_SIZE, poolSizeFromEnv } = await import('../store/pg.js'); // loaded already: the store is open
  return billConcurrency(dbPoolOf('bill', opts) ?? poolSizeFromEnv() ?? DEFAULT_POOL_SIZE);
}

export async function runBill(partner: string, period: string, opts: BillOptions): Promise<number> {
  const loaded = await loadPlanDir('bill', opts.plans);
  const plan = loaded.plans.get(partner);
  if (!plan) {
    process.stderr.write(`tierbook bill: ${ERR.PLAN_NOT_LOADED.code}: no valid plan for partner "${partner}" in ${opts.plans} (run \`tierbook check\`)\n`);
    return ERR.PLAN_NOT_LOADED.exit;
  }
  const repo = await openDb('bill', opts);
  try {
    const customers = await repo.listCustomers(partner);
    const byId = new Map(customers.map((c) => [c.id, c]));
    const out = opts.out ? new OutDir(opts.out) : null;
    const bar = progress(customers.length);
    const results: string[] = [];
    let failed = 0;
    let refused = 0;
    await billCustomers(
      repo,
      plan,
      customers.map((c) => c.id),
      period,
      opts.finalize,
      async (o) => {
        if ('billed' in o) {
          const { statement, issued } = o.billed;
          const number = issued ? issued.number + (issued.created ? '' : ' (already issued)') : '';
          if (out) for (const f of await billedFiles(repo, plan, byId.get(o.customer)!, period, o.billed, opts.formats ?? ['json'], opts.locale)) out.write(f.name, f.body);
          results.push(`${o.customer}\t${statement.currency} ${statement.total}${number ? '\t' + number : ''}`);
        } else if (o.error instanceof TierbookError && REFUSALS.has(o.error.code)) {
          // a finalize guard (§9.4): this customer is not issued, the others are
          refused++;
          results.push(`${o.customer}\trefused: ${o.error.code}: ${o.error.message}`);
        } else {
          if (!(o.error instanceof BillingError)) throw o.error;
          failed++;
          results.push(`${o.customer}\terror: ${o.error.message}`);
        }
        bar.tick(o.customer);
      },
      await concurrencyOf(opts),
      { nowMs: opts.nowMs ?? Date.now(), force: opts.force === true },
    ).catch((err: unknown) => {
      out?.discard();
      throw err;
    });
    bar.stop();
    out?.commit();
    for (const r of results) process.stdout.write(r + '\n');
    process.stderr.write(
      `${customers.length - failed - refused} statement(s) for ${partner} ${period}${opts.finalize ? ' issued' : ''}${opts.out ? ` in ${opts.out}` : ''}${failed ? `; ${failed} failed` : ''}${refused ? `; ${refused} refused` : ''}\n`,
    );
    return failed + refused > 0 ? 1 : 0;
  } finally {
    await repo.close();
  }
}

/**
 * The files of a run, written into a hidden temporary directory beside DIR
 * (same file system) and moved in only when the run completes: a run that
 * stops half-way (an error, a signal) leaves DIR as it was. A DIR that does
 * not exist yet is the temporary directory renamed (the whole set at once);
 * into an existing DIR each file is renamed (each replaced whole).
 */
class OutDir {
  private readonly dir: string;
  private readonly tmp: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    mkdirSync(dirname(this.dir), { recursive: true });
    this.tmp = mkdtempSync(join(dirname(this.dir), `.${basename(this.dir)}.tmp-`));
  }

  write(name: string, body: string): void {
    writeFileSync(join(this.tmp, name), body);
  }

  commit(): void {
    if (!existsSync(this.dir)) return renameSync(this.tmp, this.dir);
    for (const name of readdirSync(this.tmp)) renameSync(join(this.tmp, name), join(this.dir, name));
    rmSync(this.tmp, { recursive: true, force: true });
  }

  discard(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
