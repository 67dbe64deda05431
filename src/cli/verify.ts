// `tierbook verify <statement-number>` (issue 8, money audit): re-prices an
// issued statement from the stored inputs and the plan at its stored hash
// (the plans directory, else git history) and reports every difference.
// Registration is light; the store and the engine load when the command runs.
import type { Command } from 'commander';
import type { BillingInput, Statement, StatementLine } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { IssuedStatementRecord } from '../store/repository.js';
import type { SqliteRepository } from '../store/sqlite.js';
import { parseDecimal, sub, toExactDecimal } from '../billing/rational.js';
import { withDb, withPlans } from './store-options.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** `<PARTNER>-<YYYYMM>-<seq>`, as the store numbers statements (partner ids may hold hyphens). */
const NUMBER = /^([A-Z0-9][A-Z0-9-]*)-(\d{4})(\d{2})-(\d+)$/;

interface VerifyCliOptions {
  readonly partner?: string;
  readonly all: boolean;
  readonly format: string;
  readonly db: string;
  readonly plans: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('verify')
    .description('re-price issued statements from the stored inputs and the plan at their hash; report any difference')
    .argument('[number]', 'statement number, e.g. CONTOSO-202610-0001')
    .option('--partner <id>', 'partner of the statement (default: from the number); required with --all')
    .option('--all', 'verify every issued statement of --partner', false)
    .option('--format <format>', 'text | json', 'text');
  withPlans(withDb(cmd)).action(async (number: string | undefined, opts: VerifyCliOptions) => {
    process.exitCode = await runVerify(number, opts, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
  });
}

export interface VerifyIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

class UsageError extends Error {}

/** Exit status: 0 every statement verified, 1 a difference (or a plan not found), 2 usage. */
export async function runVerify(number: string | undefined, opts: VerifyCliOptions, io: VerifyIo): Promise<number> {
  try {
    return await run(number, opts, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`tierbook verify: ${e.message}\n`);
    return 2;
  }
}

async function run(number: string | undefined, opts: VerifyCliOptions, io: VerifyIo): Promise<number> {
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`unknown format "${opts.format}" (text or json)`);
  if (opts.partner !== undefined && !SLUG.test(opts.partner)) throw new UsageError(`--partner must be a partner id, got "${opts.partner}"`);
  let partner = opts.partner;
  if (opts.all) {
    if (number !== undefined) throw new UsageError('give a statement number or --all, not both');
    if (partner === undefined) throw new UsageError('--all needs --partner');
  } else {
    if (number === undefined) throw new UsageError('missing statement number (or --all --partner ID)');
    const m = NUMBER.exec(number);
    if (!m) throw new UsageError(`"${number}" is not a statement number (expected e.g. CONTOSO-202610-0001)`);
    const fromNumber = m[1]!.toLowerCase();
    if (partner !== undefined && partner !== fromNumber) throw new UsageError(`statement ${number} does not belong to partner "${partner}"`);
    partner = fromNumber;
  }
  const { existsSync } = await import('node:fs');
  // verify only reads: never create an empty store for a mistyped path
  if (!existsSync(opts.db)) throw new UsageError(`no database at ${opts.db} (give --db FILE or TIERBOOK_DB)`);
  if (!existsSync(opts.plans)) throw new UsageError(`plans directory ${opts.plans} not found (use --plans DIR or TIERBOOK_PLANS)`);

  const { openSqlite } = await import('../store/sqlite.js');
  const repo = await openSqlite(opts.db, { migrate: false });
  try {
    let records: IssuedStatementRecord[];
    try {
      records = await issuedRecords(repo, partner!, opts.all ? null : number!);
    } catch (e) {
      if (/no such table|not a database/.test((e as Error).message)) throw new UsageError(`${opts.db} is not a tierbook store (${(e as Error).message}; run \`tierbook migrate\`)`);
      throw e;
    }
    if (records.length === 0) {
      if (!opts.all) throw new UsageError(`no issued statement ${number} in ${opts.db}`);
      io.err(`tierbook verify: no issued statements for partner "${partner}" in ${opts.db}\n`);
      if (opts.format === 'json') io.out('[]\n');
      return 0;
    }
    const plans = new PlanFinder(partner!, opts.plans);
    const reports: Report[] = [];
    for (const rec of records) reports.push(await verifyOne(repo, partner!, rec, plans));
    if (opts.format === 'json') io.out(JSON.stringify(opts.all ? reports : reports[0], null, 2) + '\n');
    else for (const r of reports) io.out(textOf(r));
    if (opts.all) {
      const bad = reports.filter((r) => !r.ok).length;
      io.err(`${reports.length - bad} of ${reports.length} issued statement(s) of ${partner} verified${bad ? `; ${bad} with differences` : ''}\n`);
    }
    return reports.every((r) => r.ok) ? 0 : 1;
  } finally {
    await repo.close();
  }
}

// ---------------------------------------------------------------- store reads

/** Issued statements by number, or all of a partner (by number). Read through drizzle: the Repository has no lookup by number. */
async function issuedRecords(repo: SqliteRepository, partner: string, number: string | null): Promise<IssuedStatementRecord[]> {
  const { and, asc, eq } = await import('drizzle-orm');
  const t = await import('../store/schema.js');
  const where = number === null ? eq(t.statements.partner, partner) : and(eq(t.statements.partner, partner), eq(t.statements.number, number));
  return repo.db
    .select({ customer: t.statements.customer, period: t.statements.period, number: t.statements.number, planHash: t.statements.planHash, inputsDigest: t.statements.inputsDigest, body: t.statements.body, issuedAt: t.statements.issuedAt })
    .from(t.statements)
    .where(where)
    .orderBy(asc(t.statements.number))
    .all();
}

interface Stamps {
  readonly customerUpdatedAt: string | null;
  /** kind → id → created_at */
  readonly created: Record<'subscriptions' | 'requests' | 'worklogs' | 'spend', Map<string, string>>;
  /** subscription → quantity records stored after `since`, in store order */
  readonly laterQuantities: Map<string, { metric: string; value: number; from: string; createdAt: string }[]>;
}

/** When the records of an input were stored: what tells records added after issue from the others. */
async function stampsOf(repo: SqliteRepository, partner: string, input: BillingInput, since: string): Promise<Stamps> {
  const { and, asc, eq, gt, inArray } = await import('drizzle-orm');
  const t = await import('../store/schema.js');
  const c = repo.db.select({ u: t.customers.updatedAt }).from(t.customers).where(and(eq(t.customers.partner, partner), eq(t.customers.id, input.customer.id))).get();
  const ids = (xs: readonly { id?: string }[]) => xs.map((x) => x.id).filter((id): id is string => typeof id === 'string');
  const created = {} as Stamps['created'];
  for (const kind of ['subscriptions', 'requests', 'worklogs', 'spend'] as const) {
    const table = t[kind];
    const rows = repo.db
      .select({ id: table.id, at: table.createdAt })
      .from(table)
      .where(and(eq(table.partner, partner), inArray(table.id, ids(input[kind]))))
      .all();
    created[kind] = new Map(rows.map((r) => [r.id, r.at]));
  }
  const later = repo.db
    .select()
    .from(t.quantities)
    .where(and(eq(t.quantities.partner, partner), inArray(t.quantities.subscription, ids(input.subscriptions)), gt(t.quantities.createdAt, since)))
    .orderBy(asc(t.quantities.seq))
    .all();
  const laterQuantities = new Map<string, { metric: string; value: number; from: string; createdAt: string }[]>();
  for (const q of later) {
    const list = laterQuantities.get(q.subscription) ?? [];
    list.push({ metric: q.metric, value: q.value, from: q.from, createdAt: q.createdAt });
    laterQuantities.set(q.subscription, list);
  }
  return { customerUpdatedAt: c?.u ?? null, created, laterQuantities };
}

// ---------------------------------------------------------------- plans by hash

interface PlanAt {
  readonly plan: Plan;
  readonly source: 'plans' | 'git';
  readonly file: string;
  readonly commit?: string;
}

/** Finds the partner's plan whose hash is the stored planHash: the plans directory first, then git history. */
class PlanFinder {
  private readonly cache = new Map<string, Promise<PlanAt | string>>();
  constructor(
    private readonly partner: string,
    private readonly dir: string,
  ) {}

  /** The plan at that hash, or why it cannot be found. */
  at(hash: string): Promise<PlanAt | string> {
    let p = this.cache.get(hash);
    if (!p) this.cache.set(hash, (p = this.find(hash)));
    return p;
  }

  /** The plan file as it is now (for the period's timezone when the hashed one is missing). */
  async current(): Promise<Plan | null> {
    const { existsSync, readFileSync } = await import('node:fs');
    const { loadPlan } = await import('../plans/load.js');
    const file = await this.file();
    return existsSync(file) ? loadPlan(readFileSync(file, 'utf8'), file).plan : null;
  }

  private async file(): Promise<string> {
    const { existsSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const yml = resolve(join(this.dir, `${this.partner}.yml`));
    return existsSync(yml) ? yml : resolve(join(this.dir, `${this.partner}.yaml`));
  }

  private async find(hash: string): Promise<PlanAt | string> {
    const { existsSync, readFileSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const { loadPlan, planHash } = await import('../plans/load.js');
    const file = await this.file();
    const load = (source: string, label: string): Plan | string => {
      const r = loadPlan(source, label);
      if (r.plan) return r.plan;
      const f = r.findings.find((x) => x.severity === 'error');
      // it loaded when the statement was issued: the loader has become stricter since
      return `the plan at ${hash} no longer loads (${label}:${f?.line}:${f?.column}: ${f?.message})`;
    };
    let now: string | null = null;
    if (existsSync(file)) {
      const source = readFileSync(file, 'utf8');
      now = planHash(source);
      if (now === hash) {
        const plan = load(source, file);
        return typeof plan === 'string' ? plan : { plan, source: 'plans', file };
      }
    }
    const here = now ? `${file} is ${now} now` : `${file} does not exist`;
    const { GitUsageError, plansAtRevision, repoRoot, revisionsOf, targetsOf } = await import('./git-plans.js');
    let root: string;
    let rel: string;
    try {
      root = await repoRoot(existsSync(dirname(file)) ? dirname(file) : process.cwd());
      rel = (await targetsOf(root, process.cwd(), [file]))[0]!;
    } catch (e) {
      if (e instanceof GitUsageError) return `plan ${hash} not found: ${here}, and the plans are not in a git repository (${e.message})`;
      throw e;
    }
    const commits = await revisionsOf(root, rel);
    for (const commit of commits) {
      const [src] = await plansAtRevision(root, commit, [rel]);
      if (!src || planHash(src.source) !== hash) continue;
      const plan = load(src.source, `${commit.slice(0, 12)}:${rel}`);
      return typeof plan === 'string' ? plan : { plan, source: 'git', file: rel, commit };
    }
    return `plan ${hash} not found: ${here}, and none of the ${commits.length} revision(s) of ${rel} in git has that hash`;
  }
}

// ---------------------------------------------------------------- one statement

/** One change of the stored inputs since issue, as far as the store can tell. */
export interface InputChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly record: 'customer' | 'subscription' | 'quantity' | 'request' | 'worklog' | 'spend';
  readonly id: string;
  readonly detail: string;
}

/** A difference between the issued statement and the statement priced again. */
export interface Difference {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** after − before, for money and counts */
  readonly difference?: string;
}

export interface Report {
  readonly number: string;
  readonly partner: string;
  readonly customer: string;
  readonly period: string;
  readonly issuedAt: string;
  readonly ok: boolean;
  readonly planHash: string;
  readonly plan: { readonly found: boolean; readonly source?: 'plans' | 'git'; readonly file?: string; readonly commit?: string; readonly error?: string };
  readonly inputs: {
    readonly ok: boolean;
    readonly issued: string;
    readonly now: string | null;
    readonly changes: readonly InputChange[];
    /** true: undoing the changes listed reproduces the issued digest, so they are all of it */
    readonly explained: boolean;
    readonly note?: string;
  };
  readonly statement: { readonly repriced: boolean; readonly error?: string; readonly differences: readonly Difference[] };
}

async function verifyOne(repo: SqliteRepository, partner: string, rec: IssuedStatementRecord, plans: PlanFinder): Promise<Report> {
  const { billingInput, inputsDigest } = await import('../app/statements.js');
  const { priceStatement, BillingError } = await import('../billing/statement.js');
  const at = await plans.at(rec.planHash);
  const found = typeof at === 'string' ? null : at;
  const planInfo = found ? { found: true, source: found.source, file: found.file, ...(found.commit ? { commit: found.commit } : {}) } : { found: false, error: at as string };

  // the period's bounds depend on the partner's timezone: the plan at the hash, else today's
  const tzPlan = found?.plan ?? (await plans.current());
  const input = tzPlan ? await billingInput(repo, tzPlan, rec.customer, rec.period) : null;
  // the digest names the plan by hash only, so it is checked even when the plan is missing
  const digest = (x: BillingInput) => inputsDigest({ ...x, plan: { hash: rec.planHash } as Plan });
  const now = input ? digest(input) : null;
  let inputs: Report['inputs'];
  if (!tzPlan) inputs = { ok: false, issued: rec.inputsDigest, now, changes: [], explained: false, note: 'no plan of the partner loads, so the period (in its timezone) cannot be read' };
  else if (!input) inputs = { ok: false, issued: rec.inputsDigest, now, changes: [{ change: 'removed', record: 'customer', id: rec.customer, detail: 'no longer in the store' }], explained: false };
  else if (now === rec.inputsDigest) inputs = { ok: true, issued: rec.inputsDigest, now, changes: [], explained: true };
  else inputs = await explain(repo, partner, rec, input, digest);

  let statement: Report['statement'] = { repriced: false, differences: [] };
  if (found && input) {
    try {
      const issued = JSON.parse(rec.body) as Record<string, unknown>;
      const { number: _n, issuedAt: _i, ...body } = issued;
      statement = { repriced: true, differences: compareStatements(body as unknown as Statement, priceStatement(input)) };
    } catch (e) {
      if (!(e instanceof BillingError)) throw e;
      statement = { repriced: false, error: `cannot be priced any more: ${e.message}`, differences: [] };
    }
  }
  const ok = found !== null && inputs.ok && statement.repriced && statement.differences.length === 0;
  return { number: rec.number, partner, customer: rec.customer, period: rec.period, issuedAt: rec.issuedAt, ok, planHash: rec.planHash, plan: planInfo, inputs, statement };
}

/**
 * Which stored records changed since issue. The store keeps no earlier
 * versions, so this is what its timestamps and the issued requests table can
 * show: records stored after issue, quantities added, a customer updated,
 * requests answered or gone. Undoing those must give the issued digest back;
 * when it does not, something was changed in place and the note says so.
 */
async function explain(repo: SqliteRepository, partner: string, rec: IssuedStatementRecord, input: BillingInput, digest: (x: BillingInput) => string): Promise<Report['inputs']> {
  const since = rec.issuedAt;
  const st = await stampsOf(repo, partner, input, since);
  const changes: InputChange[] = [];
  let customerChanged = false;
  if (st.customerUpdatedAt !== null && st.customerUpdatedAt > since) {
    customerChanged = true;
    changes.push({ change: 'changed', record: 'customer', id: input.customer.id, detail: `updated ${st.customerUpdatedAt}` });
  }
  const isLater = (kind: keyof Stamps['created'], id: string | undefined) => id !== undefined && (st.created[kind].get(id) ?? '') > since;
  const keep = <T extends { id?: string }>(kind: keyof Stamps['created'], noun: InputChange['record'], xs: readonly T[]): T[] =>
    xs.filter((x) => {
      if (!isLater(kind, x.id)) return true;
      changes.push({ change: 'added', record: noun, id: x.id!, detail: `stored ${st.created[kind].get(x.id!)}` });
      return false;
    });
  const subscriptions = keep('subscriptions', 'subscription', input.subscriptions).map((s) => {
    const later = st.laterQuantities.get(s.id ?? '') ?? [];
    if (later.length === 0) return s;
    for (const q of later) changes.push({ change: 'added', record: 'quantity', id: s.id!, detail: `${q.metric} ${q.value} from ${q.from}, stored ${q.createdAt}` });
    // added quantities are the newest rows, the last ones of the list
    return { ...s, quantities: (s.quantities ?? []).slice(0, (s.quantities ?? []).length - later.length) };
  });
  // the issued requests table holds each counted request's state at issue
  const issuedReqs = new Map(((JSON.parse(rec.body) as Statement).requests ?? []).map((r) => [r.id, r]));
  const requests = keep('requests', 'request', input.requests).map((r) => {
    const was = issuedReqs.get(r.id);
    if (!was) return r;
    let out = r;
    for (const f of ['respondedAt', 'receivedAt', 'severity', 'category', 'offering'] as const) {
      const before = was[f] ?? null;
      const after = r[f] ?? null;
      if (before === after) continue;
      changes.push({ change: 'changed', record: 'request', id: r.id, detail: `${f}: ${before ?? '(none)'} → ${after ?? '(none)'}` });
      out = { ...out, [f]: before };
    }
    return out;
  });
  const present = new Set(input.requests.map((r) => r.id));
  for (const id of issuedReqs.keys()) if (!present.has(id)) changes.push({ change: 'removed', record: 'request', id, detail: 'on the issued statement, no longer in the store for this period' });
  const undone = { ...input, subscriptions, requests, worklogs: keep('worklogs', 'worklog', input.worklogs), spend: keep('spend', 'spend', input.spend) };
  const explained = !customerChanged && changes.every((c) => c.change !== 'removed') && digest(undone) === rec.inputsDigest;
  const note = explained
    ? undefined
    : customerChanged
      ? 'the customer was updated after issue; its earlier fields are not kept, so the other changes cannot be confirmed'
      : 'undoing the changes listed does not give the issued digest back: a record was changed in place or deleted (the store keeps no earlier versions); the statement differences show its effect';
  return { ok: false, issued: rec.inputsDigest, now: digest(input), changes, explained, ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------- statement differences

const MONEY_FIELDS = ['subtotal', 'tax', 'total'] as const;
const OTHER_FIELDS = ['partner', 'customer', 'period', 'currency', 'taxRate', 'hoursWorked', 'planHash'] as const;

/** after − before of two decimal strings, signed, exact (no float); undefined when either is not a decimal. */
function minus(before: unknown, after: unknown): string | undefined {
  if (typeof before !== 'string' || typeof after !== 'string') return undefined;
  const a = parseDecimal(before);
  const b = parseDecimal(after);
  if (!a || !b) return undefined;
  const scale = Math.max(before.split('.')[1]?.length ?? 0, after.split('.')[1]?.length ?? 0);
  const d = toExactDecimal(sub(b, a), scale) ?? '?';
  return d.startsWith('-') ? d : `+${d}`;
}

/** A line's name on the statement: offering/component, its kind and subscription; a repeat (a price version) gets #2. */
function lineKeys(lines: readonly StatementLine[]): Map<string, StatementLine> {
  const out = new Map<string, StatementLine>();
  for (const l of lines) {
    const base = `${l.offering}/${l.component}${l.kind ? ` ${l.kind}` : ''}${l.subscription ? ` (${l.subscription})` : ''}`;
    let key = base;
    for (let n = 2; out.has(key); n++) key = `${base} #${n}`;
    out.set(key, l);
  }
  return out;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function compareStatements(issued: Statement, now: Statement): Difference[] {
  const out: Difference[] = [];
  for (const f of [...OTHER_FIELDS, ...MONEY_FIELDS]) {
    const a = issued[f] ?? null;
    const b = now[f] ?? null;
    if (a !== b) out.push({ path: f, before: a, after: b, ...((MONEY_FIELDS as readonly string[]).includes(f) || f === 'hoursWorked' ? { difference: minus(a, b) } : {}) });
  }
  const before = lineKeys(issued.lines ?? []);
  const after = lineKeys(now.lines);
  for (const [key, l] of before) {
    const m = after.get(key);
    if (!m) out.push({ path: `lines[${key}]`, before: l.amount, after: null, difference: minus(l.amount, '0') });
    else if (!same(l, m)) {
      for (const f of ['amount', 'quantity', 'unitPrice', 'description', 'model', 'unit'] as const) {
        if ((l[f] ?? null) !== (m[f] ?? null)) out.push({ path: `lines[${key}].${f}`, before: l[f] ?? null, after: m[f] ?? null, ...(f === 'amount' ? { difference: minus(l.amount, m.amount) } : {}) });
      }
    }
  }
  for (const [key, m] of after) if (!before.has(key)) out.push({ path: `lines[${key}]`, before: null, after: m.amount, difference: minus('0', m.amount) });
  if ([...before.keys()].join('\n') !== [...after.keys()].join('\n') && out.every((d) => !d.path.startsWith('lines['))) {
    out.push({ path: 'lines', before: [...before.keys()], after: [...after.keys()] });
  }
  for (const f of ['requests', 'met', 'breached'] as const) {
    const a = issued.serviceLevels?.[f];
    const b = now.serviceLevels[f];
    if (a !== b) out.push({ path: `serviceLevels.${f}`, before: a ?? null, after: b, difference: typeof a === 'number' ? `${b - a >= 0 ? '+' : ''}${b - a}` : undefined });
  }
  const reqsBefore = new Map((issued.requests ?? []).map((r) => [r.id, r]));
  const reqsAfter = new Map((now.requests ?? []).map((r) => [r.id, r]));
  for (const [id, r] of reqsBefore) {
    const m = reqsAfter.get(id);
    if (!m) out.push({ path: `requests[${id}]`, before: r.status, after: null });
    else for (const [k, v] of Object.entries(r)) if (!same(v, (m as unknown as Record<string, unknown>)[k])) out.push({ path: `requests[${id}].${k}`, before: v, after: (m as unknown as Record<string, unknown>)[k] ?? null });
  }
  for (const [id, m] of reqsAfter) if (!reqsBefore.has(id)) out.push({ path: `requests[${id}]`, before: null, after: m.status });
  // any field this comparison does not know yet still counts
  const known = new Set<string>([...OTHER_FIELDS, ...MONEY_FIELDS, 'lines', 'serviceLevels', 'requests']);
  for (const k of new Set([...Object.keys(issued), ...Object.keys(now)])) {
    if (known.has(k)) continue;
    const a = (issued as unknown as Record<string, unknown>)[k];
    const b = (now as unknown as Record<string, unknown>)[k];
    if (!same(a, b)) out.push({ path: k, before: a ?? null, after: b ?? null });
  }
  return out.map((d) => (d.difference === undefined ? (({ difference: _d, ...rest }) => rest)(d) : d));
}

// ---------------------------------------------------------------- text

const show = (v: unknown): string => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

function textOf(r: Report): string {
  if (r.ok) return `ok ${r.number} (plan ${r.planHash}, inputs ${r.inputs.issued})\n`;
  const out = [`FAILED ${r.number} (customer ${r.customer}, period ${r.period}, issued ${r.issuedAt})`];
  if (!r.plan.found) out.push(`  plan: ${r.plan.error}; the statement was not priced again`);
  else if (r.plan.source === 'git') out.push(`  plan ${r.planHash}: found in git at ${r.plan.commit!.slice(0, 12)}:${r.plan.file}`);
  if (r.inputs.ok) out.push(`  inputs unchanged (${r.inputs.issued})`);
  else {
    out.push(`  inputs changed since issue: issued ${r.inputs.issued}, now ${r.inputs.now ?? '(cannot be read)'}`);
    const sign = { added: '+', removed: '-', changed: '~' } as const;
    for (const c of r.inputs.changes) out.push(`    ${sign[c.change]} ${c.record} ${c.id} ${c.change}: ${c.detail}`);
    if (r.inputs.explained) out.push('    (undoing these gives the issued digest back: they are the whole change)');
    if (r.inputs.note) out.push(`    ${r.inputs.note}`);
  }
  if (r.statement.error) out.push(`  statement ${r.statement.error}`);
  if (r.statement.repriced) {
    if (r.statement.differences.length === 0) out.push('  statement priced again: the same as issued');
    else {
      out.push('  statement priced again differs from the issued one (issued → now):');
      for (const d of r.statement.differences) out.push(`    ${d.path}: ${show(d.before)} → ${show(d.after)}${d.difference ? ` (${d.difference})` : ''}`);
    }
  }
  return out.join('\n') + '\n';
}
