// The verify use case (issue 8, money audit): an issued statement priced
// again from the stored inputs and the plan at its stored hash, and every
// difference found. Finding the plan (plans directory, git history) and
// printing the report belong to the CLI (src/cli/verify.ts).
import type { BillingInput, Statement, StatementLine } from '../billing/types.js';
import { BillingError } from '../billing/statement.js';
import { parseDecimal, sub, toExactDecimal } from '../rational.js';
import { scaleOf } from '../decimal.js';
import type { Plan } from '../plans/types.js';
import type { InputStamps as Stamps, IssuedStatementRecord, Repository } from '../store/repository.js';
import { billingInput, draftStatement, inputsDigest } from './statements.js';

/** Issued statements by number, or all of a partner's (by number). */
export async function issuedRecords(repo: Repository, partner: string, number: string | null): Promise<IssuedStatementRecord[]> {
  if (number === null) return repo.listIssued(partner);
  const one = await repo.issuedByNumber(partner, number);
  if (one) return [one];
  // a void invoice (§9.7) is verified by its number too; its stored record is unchanged
  const doc = await repo.documentByNumber(partner, number);
  if (doc?.kind !== 'invoice') return [];
  const { kind: _k, voided: _v, ...record } = doc;
  return [record];
}

const ids = (xs: readonly { id?: string }[]): string[] => xs.map((x) => x.id).filter((id): id is string => typeof id === 'string');

/** When the records of an input were stored: what tells records added after issue from the others. */
function stampsOf(repo: Repository, partner: string, input: BillingInput, since: string): Promise<Stamps> {
  return repo.inputStamps(
    partner,
    { customer: input.customer.id, subscriptions: ids(input.subscriptions), requests: ids(input.requests), worklogs: ids(input.worklogs), spend: ids(input.spend), purchases: ids(input.purchases ?? []) },
    since,
  );
}

/** A plan found by its hash, and where. */
export interface PlanAt {
  readonly plan: Plan;
  /** store: the text kept at finalize (§9.5); plans directory and git history only for statements issued before that. */
  readonly source: 'store' | 'plans' | 'git';
  readonly file: string;
  readonly commit?: string;
}

/** Where verify looks plans up: by hash (or why not found), and the partner's plan as it is now. */
export interface PlansByHash {
  at(hash: string): Promise<PlanAt | string>;
  current(): Promise<Plan | null>;
}

/** One change of the stored inputs since issue, as far as the store can tell. */
export interface InputChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly record: 'customer' | 'subscription' | 'quantity' | 'request' | 'worklog' | 'spend' | 'purchase';
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
  readonly plan: { readonly found: boolean; readonly source?: 'store' | 'plans' | 'git'; readonly file?: string; readonly commit?: string; readonly error?: string };
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

/** One issued statement checked: its plan found by hash, its inputs re-read and its lines priced again. */
export async function verifyOne(repo: Repository, partner: string, rec: IssuedStatementRecord, plans: PlansByHash): Promise<Report> {
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
      // the fields that make it a document of record (app/documents.ts) are not priced
      const { number: _n, issuedAt: _i, kind: _k, dueDate: _d, replaces: _r, partnerTaxId: _p, customerTaxId: _c, ...body } = issued;
      statement = { repriced: true, differences: compareStatements(body as unknown as Statement, draftStatement(input)) };
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
async function explain(repo: Repository, partner: string, rec: IssuedStatementRecord, input: BillingInput, digest: (x: BillingInput) => string): Promise<Report['inputs']> {
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
  const purchases = input.purchases ? keep('purchases', 'purchase', input.purchases) : undefined;
  const undone = {
    ...input,
    subscriptions,
    requests,
    worklogs: keep('worklogs', 'worklog', input.worklogs),
    spend: keep('spend', 'spend', input.spend),
    // the input leaves `purchases` out when there are none: so does the one undone
    ...(purchases === undefined ? {} : purchases.length > 0 ? { purchases } : { purchases: undefined }),
  };
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
  const scale = Math.max(scaleOf(before), scaleOf(after));
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

