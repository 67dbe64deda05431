// `tierbook diff`: load the plans at a revision and at the target (working tree
// or --to), diff them by meaning, optionally price the customers of changed
// offerings under both, and print. Kept apart from diff.ts so that registering
// the command costs nothing until it runs.
import path from 'node:path';
import { period as makePeriod, isPeriod } from '../time/period.js';
import type { BillingInput } from '../billing/types.js';
import { changedOfferings, diffPlans, type DiffEntry } from '../plans/diff.js';
import { planImpact, type CustomerData, type Impact, type IssuedPeriod } from '../app/impact.js';
import { loadPlan } from '../plans/load.js';
import type { Finding, Plan } from '../plans/types.js';
import type { IssuedStatementRecord, Repository } from '../store/repository.js';
import { dbFromEnv, isPostgresUrl } from '../store/open.js';
import { cliLine, ERR, isTierbookError } from '../errors.js';
import { missingDbFile } from './store-options.js';
import { renderJson, renderMarkdown, renderText, type DiffReport } from './diff-format.js';
import { plansAtRevision, plansInWorkingTree, repoRoot, resolveRevision, targetsOf, type PlanSource } from './git-plans.js';

export interface DiffOptions {
  readonly to?: string;
  readonly format?: string;
  readonly plans?: string;
  readonly impact?: boolean;
  readonly db?: string;
  readonly period?: string;
}

export interface DiffIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const FORMATS = ['text', 'md', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** Returns the exit status: 0 compared (changes or not), 1 a plan failed to load, 2 usage. */
export async function runDiff(rev: string, paths: readonly string[], opts: DiffOptions, io: DiffIo): Promise<number> {
  try {
    return await run(rev, paths, opts, io);
  } catch (e) {
    if (isTierbookError(e)) {
      io.err(cliLine('diff', e) + '\n');
      return e.exit;
    }
    throw e;
  }
}

async function run(rev: string, paths: readonly string[], opts: DiffOptions, io: DiffIo): Promise<number> {
  const format = (opts.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw ERR.USAGE({ detail: `unknown format "${opts.format}" (expected text, md or json)` });
  const db = opts.db ?? dbFromEnv(io.env);
  if (opts.impact) {
    if (!opts.period) throw ERR.USAGE({ detail: '--impact needs --period YYYY-MM' });
    if (!isPeriod(opts.period)) throw ERR.USAGE({ detail: `invalid --period "${opts.period}" (expected YYYY-MM)` });
    if (missingDbFile(db, io.cwd)) throw ERR.NO_DATABASE({ db });
  } else if (opts.period || opts.db) {
    throw ERR.USAGE({ detail: '--db and --period only apply with --impact' });
  }

  const root = await repoRoot(io.cwd);
  const fromCommit = await resolveRevision(root, rev);
  const toCommit = opts.to !== undefined ? await resolveRevision(root, opts.to) : null;
  const targets = await targetsOf(root, io.cwd, paths.length ? paths : [opts.plans ?? io.env.TIERBOOK_PLANS ?? 'plans']);

  const beforeSrc = await plansAtRevision(root, fromCommit, targets);
  const afterSrc = toCommit ? await plansAtRevision(root, toCommit, targets) : await plansInWorkingTree(root, targets);
  if (!beforeSrc.length && !afterSrc.length) throw ERR.USAGE({ detail: `no plan files at ${targets.map((t) => t || '.').join(', ')} in ${rev} or ${opts.to ?? 'the working tree'}` });

  // Findings name the side they come from: `HEAD~1:plans/x.yaml:3:5: error: …`
  const findings: Finding[] = [];
  const load = (s: PlanSource, label: string): Plan | null => {
    const r = loadPlan(s.source, label);
    findings.push(...r.findings.filter((f) => f.severity === 'error'));
    return r.plan;
  };
  const before = new Map(beforeSrc.map((s) => [s.path, load(s, `${rev}:${s.path}`)]));
  const after = new Map(afterSrc.map((s) => [s.path, load(s, toCommit ? `${opts.to}:${s.path}` : s.path)]));
  if (findings.length) {
    for (const f of findings) io.err(`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.path ? `${f.path}: ` : ''}${f.message}\n`);
    io.err(`tierbook diff: ${ERR.PLANS_INVALID.code}: cannot compare: ${findings.length} error(s) in the plans (run \`tierbook check\`)\n`);
    return ERR.PLANS_INVALID.exit;
  }

  const files = [...new Set([...before.keys(), ...after.keys()])].sort();
  const pairs = files.map((p) => ({ path: p, before: before.get(p) ?? null, after: after.get(p) ?? null }));
  const report: DiffReport = {
    from: rev,
    fromCommit,
    to: opts.to ?? null,
    toCommit,
    files: pairs.map((p) => ({ path: p.path, entries: diffPlans(p.before, p.after) })),
  };

  let out: DiffReport = report;
  if (opts.impact) {
    const impact = await impactOf(pairs, report.files.map((f) => f.entries), isPostgresUrl(db) ? db : path.resolve(io.cwd, db), opts.period as string);
    out = { ...report, impact };
  }
  io.out(format === 'json' ? renderJson(out) : format === 'md' ? renderMarkdown(out) : renderText(out));
  return 0;
}

// ---------------------------------------------------------------- impact from the store

/**
 * Stored data as billing input, mapped as draft statements map it, but with
 * the stored decisions dropped on purpose: each plan re-evaluates the
 * requests, as a quote does, because a plan change (rules, response targets,
 * channels) can change acceptance and billability. A request that matched no
 * offering when it arrived has nothing to be priced by and is left out.
 */
function customerData(input: BillingInput): CustomerData {
  const { plan: _plan, period: _period, ...data } = input;
  return { ...data, requests: data.requests.filter((r) => r.offering).map(({ decision: _decision, ...r }) => r) };
}

/** The lines of an issued statement as issued (its stored JSON document). */
function issuedPeriod(r: IssuedStatementRecord): IssuedPeriod {
  const doc = JSON.parse(r.body) as { currency: string; lines: readonly { offering: string; amount: string }[] };
  return { number: r.number, currency: doc.currency, lines: doc.lines.map((l) => ({ offering: l.offering, amount: l.amount })) };
}

async function impactOf(
  pairs: ReadonlyArray<{ before: Plan | null; after: Plan | null }>,
  diffs: ReadonlyArray<readonly DiffEntry[]>,
  dbFile: string,
  period: string,
): Promise<Impact[]> {
  // the store is imported only here: a plain diff needs no database driver
  const { openStore } = await import('../store/open.js');
  const { toBillingInput } = await import('../app/statements.js');
  const { blockHistory, withHistory } = await import('../app/purchases.js');
  const repo: Repository = await openStore(dbFile, { migrate: false });
  try {
    const out: Impact[] = [];
    for (let i = 0; i < pairs.length; i++) {
      if (!diffs[i].length) continue;
      const { before, after } = pairs[i];
      // a partner id changed in place is two plans (removed and added): price each on its own
      const units = before && after && before.partner.id !== after.partner.id ? [{ before, after: null }, { before: null, after }] : [{ before, after }];
      for (const u of units) {
        const offerings = changedOfferings(diffPlans(u.before, u.after), u.before, u.after);
        const partner = (u.after ?? u.before) as Plan;
        // usage is fetched over both plans' views of the month (the timezone may have changed);
        // priceStatement keeps only what belongs to the period
        const bounds = [u.before, u.after].filter((p): p is Plan => !!p).map((p) => makePeriod(period, p.partner.timezone));
        const fromMs = Math.min(...bounds.map((b) => b.startMs));
        const toMs = Math.max(...bounds.map((b) => b.endMs));
        const data: CustomerData[] = [];
        for (const c of await repo.listCustomers(partner.partner.id)) {
          const d = await repo.periodData(partner.partner.id, c.id, period, fromMs, toMs);
          if (!d) continue;
          // an issued period is left out of the impact and shown as the correction it would bring
          const issued = await repo.getIssued(partner.partner.id, c.id, period);
          // prepaid blocks: their ledgers run from the subscription's start, as billingInput reads them
          const h = (await blockHistory(repo, partner, d, makePeriod(period, partner.partner.timezone))) ?? (u.before && u.before !== partner ? await blockHistory(repo, u.before, d, makePeriod(period, u.before.partner.timezone)) : null);
          data.push({ ...customerData(toBillingInput(partner, period, h ? withHistory(d, h) : d, h?.purchases)), issued: issued ? issuedPeriod(issued) : null });
        }
        out.push(planImpact(u.before, u.after, offerings, period, data));
      }
    }
    return out;
  } finally {
    await repo.close();
  }
}
