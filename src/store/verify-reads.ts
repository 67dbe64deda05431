// What `tierbook verify` reads of the store beyond the Repository interface:
// issued statements by number and when each input record was stored. Kept
// here so that no code outside src/store touches drizzle tables (to be folded
// into the Repository by the store's owner).
import type { BillingInput } from '../billing/types.js';
import type { IssuedStatementRecord } from './repository.js';
import type { SqliteRepository } from './sqlite.js';

/** Issued statements by number, or all of a partner (by number). Read through drizzle: the Repository has no lookup by number. */
export async function issuedRecords(repo: SqliteRepository, partner: string, number: string | null): Promise<IssuedStatementRecord[]> {
  const { and, asc, eq } = await import('drizzle-orm');
  const t = await import('./schema.js');
  const where = number === null ? eq(t.statements.partner, partner) : and(eq(t.statements.partner, partner), eq(t.statements.number, number));
  return repo.db
    .select({ customer: t.statements.customer, period: t.statements.period, number: t.statements.number, planHash: t.statements.planHash, inputsDigest: t.statements.inputsDigest, body: t.statements.body, issuedAt: t.statements.issuedAt })
    .from(t.statements)
    .where(where)
    .orderBy(asc(t.statements.number))
    .all();
}

export interface Stamps {
  readonly customerUpdatedAt: string | null;
  /** kind → id → created_at */
  readonly created: Record<'subscriptions' | 'requests' | 'worklogs' | 'spend', Map<string, string>>;
  /** subscription → quantity records stored after `since`, in store order */
  readonly laterQuantities: Map<string, { metric: string; value: number; from: string; createdAt: string }[]>;
}

/** When the records of an input were stored: what tells records added after issue from the others. */
export async function stampsOf(repo: SqliteRepository, partner: string, input: BillingInput, since: string): Promise<Stamps> {
  const { and, asc, eq, gt, inArray } = await import('drizzle-orm');
  const t = await import('./schema.js');
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

