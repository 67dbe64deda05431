// The work of `tierbook terms`, apart from commander so it can be tested
// directly. The clock is read here, once, for the default --at.
import { DateTime } from 'luxon';
import { loadPlansDir, type LoadedPlans } from './plan-files.js';
import type { Finding, Plan } from '../plans/types.js';
import { RenderError, renderTerms, subscriptionOn, type CustomerPrices, type CustomerRef } from '../render/index.js';
import { cliLine, ERR, isTierbookError } from '../errors.js';
import { isPostgresUrl } from '../store/open.js';
import { defaultDb } from './store-options.js';
import { existsSync } from 'node:fs';

export interface TermsArgs {
  format: 'html' | 'md';
  locale?: string;
  at?: string;
  plans: string;
  customer?: string;
  /** Store of the customer's prices (--db); absent: TIERBOOK_DB, DATABASE_URL, else ./data/tierbook.db when it exists. */
  db?: string;
}
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

/** Exit status: 0 written, 1 unknown partner/offering or invalid plans, 2 usage error. */
export async function runTerms(partnerId: string, offeringId: string, args: TermsArgs, io: Io): Promise<number> {
  let loaded: LoadedPlans;
  try {
    loaded = await loadPlansDir(args.plans);
  } catch {
    const e = ERR.PLANS_NOT_FOUND({ dir: args.plans });
    io.err(cliLine('terms', e) + '\n');
    return e.exit;
  }
  const plans: Plan[] = [...loaded.plans.values()];
  const errors: Finding[] = loaded.findings.filter((x) => x.severity === 'error');
  const plan = plans.find((p) => p.partner.id === partnerId);
  if (!plan) {
    // A broken plan file may be the partner asked for: say why it could not be read.
    for (const f of errors) io.err(`${f.file}:${f.line}:${f.column}: error: ${f.path}: ${f.message}\n`);
    const declared = plans.map((p) => p.partner.id).sort();
    io.err(`tierbook terms: ${ERR.PLAN_NOT_LOADED.code}: unknown partner "${partnerId}" in ${args.plans} (declared: ${declared.join(', ') || 'none'})\n`);
    return ERR.PLAN_NOT_LOADED.exit;
  }
  const at = args.at ?? DateTime.now().setZone(plan.partner.timezone).toISODate()!;
  let own: { customer: CustomerRef; prices: CustomerPrices | null } | null = null;
  try {
    own = args.customer ? await customerOf(plan.partner.id, args.customer, offeringId, at, args.db) : null;
  } catch (e) {
    if (!isTierbookError(e)) throw e;
    io.err(cliLine('terms', e) + '\n');
    return e.exit;
  }
  try {
    const doc = renderTerms(plan, offeringId, {
      format: args.format,
      locale: args.locale,
      at,
      customer: own?.customer ?? (args.customer ? { id: args.customer } : undefined),
      prices: own?.prices ?? null,
    });
    io.out(doc.body);
    return 0;
  } catch (e) {
    // UNKNOWN_OFFERING exits 1, a bad --format or --at 2 (the registry's exit statuses)
    if (e instanceof RenderError) {
      io.err(cliLine('terms', e) + '\n');
      return e.exit;
    }
    throw e;
  }
}

/**
 * The customer as the store knows it (name, locale) and its own prices for the
 * offering (§8.2, §8.3), from --db, TIERBOOK_DB or DATABASE_URL, else
 * ./data/tierbook.db when it exists; null when there is no store to ask (the
 * terms then only name the customer, as before a store existed).
 */
async function customerOf(partner: string, id: string, offering: string, at: string, db: string | undefined): Promise<{ customer: CustomerRef; prices: CustomerPrices | null } | null> {
  const named = db ?? (process.env.TIERBOOK_DB || process.env.DATABASE_URL);
  const target = named ?? defaultDb();
  if (!isPostgresUrl(target) && !existsSync(target)) {
    if (named) throw ERR.NO_DATABASE({ db: target });
    return null;
  }
  const { openStore } = await import('../store/open.js');
  const repo = await openStore(target, { migrate: false, readonly: true });
  try {
    const c = await repo.getCustomer(partner, id);
    if (!c) throw ERR.NOT_FOUND({ what: `customer "${id}"` });
    const sub = subscriptionOn(await repo.listSubscriptions(partner, id), offering, at);
    return { customer: { id: c.id, name: c.name, ...(c.locale ? { locale: c.locale } : {}) }, prices: sub };
  } finally {
    await repo.close();
  }
}
