// Raw better-sqlite3 writes of store rows (the store's own insert statements,
// nothing else): the anchor of the ingest benchmark, and the fast way to fill
// a large store for the billing benchmark.
import type Database from 'better-sqlite3';
import type { CustomerRecord, Hashed, RequestRecord, SpendRecord, SubscriptionRecord, WorklogRecord } from '../src/store/repository.js';
import { prepareInserts } from '../src/store/sqlite.js';
import type { CustomerData } from './data.js';

export interface RawWriter {
  customer(h: Hashed<CustomerRecord>): void;
  subscription(h: Hashed<SubscriptionRecord>): void;
  request(h: Hashed<RequestRecord>): void;
  worklog(h: Hashed<WorklogRecord>): void;
  spend(h: Hashed<SpendRecord>): void;
  all(d: CustomerData): void;
}

const CREATED = '2026-11-01T00:00:00.000Z';

export function rawWriter(db: Database.Database, partner: string): RawWriter {
  const ins = prepareInserts(db);
  const w: RawWriter = {
    customer: ({ record: c, bodyHash }) => void ins.customer.run(partner, c.id, c.name, c.locale, c.taxRate, c.email, c.tenantId ?? null, c.taxId ?? null, bodyHash, CREATED, CREATED),
    subscription: ({ record: s, bodyHash }) => {
      ins.subscription.run(partner, s.id, s.customer, s.offering, s.start, s.end, s.discount, s.prices ? JSON.stringify(s.prices) : null, s.priceAsOf ?? null, bodyHash, CREATED);
      for (const q of s.quantities) ins.quantity.run(partner, s.id, q.metric, q.value, q.from, CREATED);
    },
    request: ({ record: r, bodyHash }) =>
      void ins.request.run(
        partner, r.id, r.customer, r.offering, r.service, r.category, r.severity, r.channel, r.receivedAt, Date.parse(r.receivedAt),
        r.serviceIncident === null ? null : r.serviceIncident ? 1 : 0, r.respondedAt, JSON.stringify(r.decision), bodyHash, CREATED,
      ),
    worklog: ({ record: x, bodyHash }) => void ins.worklog.run(partner, x.id, x.customer, x.request, x.offering, x.start, Date.parse(x.start), x.minutes, x.component ?? null, x.billable === false ? 0 : null, bodyHash, CREATED),
    spend: ({ record: s, bodyHash }) => void ins.spend.run(partner, s.id, s.customer, s.period, s.service, s.amount, s.retail ?? null, s.source ?? null, s.invoice ?? null, bodyHash, CREATED),
    all: (d) => {
      w.customer(d.customer);
      d.subscriptions.forEach(w.subscription);
      d.requests.forEach(w.request);
      d.worklogs.forEach(w.worklog);
      d.spend.forEach(w.spend);
    },
  };
  return w;
}
