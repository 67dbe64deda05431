// The demo of `tierbook start`: on an empty store only, for each partner plan
// a few customers (one per offering that takes requests, in the plan's order)
// with two months of data, all written through the same use cases as the API:
// subscriptions with quantities (one with an agreed price), requests (one
// rejected) with SLA events, worklogs, spend, purchases of prepaid blocks; the
// month before last finalized (every customer, with a credit note for part
// of the first invoice), last month left as drafts for month-end. So every page of
// the console shows something real.
import { DateTime } from 'luxon';
import { Ingest, offeringMetrics } from '../app/ingest.js';
import { addEvents } from '../app/events.js';
import { billCustomer } from '../app/bill.js';
import { issueCreditNote } from '../app/documents.js';
import { purchasableBlocks } from '../app/purchases.js';
import type { Offering, Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';

export interface SeededDemo {
  readonly partner: string;
  /** The first demo customer; `period` is last month, left as a draft. */
  readonly customer: string;
  readonly period: string;
}

/** The demo customers, one per offering that takes requests (at most this many). */
export const DEMO_CUSTOMERS: readonly (readonly [id: string, name: string])[] = [
  ['northwind', 'Northwind Traders'],
  ['tailspin', 'Tailspin Toys'],
  ['alpine', 'Alpine Ski House'],
  ['wingtip', 'Wingtip Toys'],
  ['litware', 'Litware Inc.'],
];

/** The demo's first customer and last month of each plan; seeds only when the store is empty. */
export async function seedDemo(repo: Repository, plans: readonly Plan[], nowMs: number = Date.now()): Promise<SeededDemo[]> {
  const seed = await repo.isEmpty();
  const out: SeededDemo[] = [];
  for (const plan of plans) {
    const month = DateTime.fromMillis(nowMs, { zone: plan.partner.timezone }).startOf('month').minus({ months: 1 });
    const served = demoOfferings(plan);
    if (served.length === 0) continue;
    out.push({ partner: plan.partner.id, customer: DEMO_CUSTOMERS[0]![0], period: month.toFormat('yyyy-MM') });
    if (seed) await seedPlan(repo, plan, served, month, nowMs);
  }
  return out;
}

/** Offerings a demo customer can hold: they take requests (services, channels, severities). */
const demoOfferings = (plan: Plan): Offering[] =>
  [...plan.offerings.values()].filter((o) => o.services.length > 0 && o.channels.length > 0 && o.severities.size > 0).slice(0, DEMO_CUSTOMERS.length);

/** `text` × num / den, truncated to the text's own decimals ("250.00" × 9/10 = "225.00"). */
function scaled(text: string, num: bigint, den: bigint): string {
  const [whole, frac = ''] = text.split('.');
  const units = (BigInt(whole! + frac) * num) / den;
  const digits = units.toString().padStart(frac.length + 1, '0');
  return frac.length === 0 ? digits : `${digits.slice(0, -frac.length)}.${digits.slice(-frac.length)}`;
}

const iso = (d: DateTime): string => d.toISO({ suppressMilliseconds: true })!;

async function seedPlan(repo: Repository, plan: Plan, served: readonly Offering[], month: DateTime, nowMs: number): Promise<void> {
  const partner = plan.partner.id;
  const ingest = new Ingest(repo, plan);
  const insert = async (kind: Parameters<Ingest['records']>[0], bodies: unknown[]): Promise<void> => {
    if (bodies.length > 0) await repo.insertMany(partner, kind, await ingest.records(kind, bodies));
  };
  const before = month.minus({ months: 1 });
  const months = [before, month];
  const customers = served.map((offering, i) => ({ id: DEMO_CUSTOMERS[i]![0], name: DEMO_CUSTOMERS[i]![1], offering, sub: `${DEMO_CUSTOMERS[i]![0]}-${offering.id}` }));

  // every other customer has a tax rate, so invoices and credit notes show tax
  await insert(
    'customers',
    customers.map((c, i) => ({ id: c.id, name: c.name, locale: plan.partner.locale, ...(i % 2 === 1 ? { taxRate: '8%' } : {}) })),
  );
  await insert(
    'subscriptions',
    customers.map((c, i) => {
      const metrics = offeringMetrics(c.offering);
      // the second customer has an agreed price: 10 % off its first fixed fee
      const fee = i === 1 ? c.offering.pricing.find((p) => p.model === 'flat' || p.model === 'per-unit') : undefined;
      return {
        id: c.sub,
        customer: c.id,
        offering: c.offering.id,
        start: before.toISODate(),
        ...(fee && 'amount' in fee ? { prices: { [fee.id]: { amount: scaled(fee.amount.text, 9n, 10n) } } } : {}),
        quantities: metrics.flatMap((metric) => [
          { metric, value: 20, from: before.toISODate() },
          { metric, value: 25, from: month.toISODate() },
        ]),
      };
    }),
  );

  // prepaid blocks bought on the 3rd of each month
  await insert(
    'purchases',
    customers.flatMap((c) =>
      purchasableBlocks(c.offering).flatMap((component) => months.map((m, k) => ({ id: `${c.sub}-${component}-${m.toFormat('yyyyMM')}`, customer: c.id, subscription: c.sub, component, date: m.set({ day: 3 }).toISODate(), quantity: k + 1 }))),
    ),
  );

  // working days at 10:00 and 15:30 local time: inside usual office hours
  const requests: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  for (const c of customers) {
    const o = c.offering;
    const severities = [...o.severities.keys()];
    for (const m of months) {
      let n = 0;
      for (let d = m.plus({ days: customers.indexOf(c) }); d.month === m.month && n < 5; d = d.plus({ days: 4 })) {
        if (d.weekday > 5) continue;
        const at = d.set({ hour: n % 2 ? 15 : 10, minute: n % 2 ? 30 : 0 });
        const id = `${c.id}-${m.toFormat('yyyyMM')}-${n + 1}`;
        const last = m === month && n === 4;
        const severity = severities[severities.length - 1 - (n % Math.min(2, severities.length))]!;
        requests.push({
          id,
          customer: c.id,
          service: o.services[n % o.services.length],
          category: o.categories[n % o.categories.length],
          severity,
          channel: o.channels[n % o.channels.length],
          receivedAt: iso(at),
          // most answered within the hour, one late, the month's last not yet
          ...(last ? {} : { respondedAt: iso(at.plus({ minutes: n === 3 ? 60 * 30 : 40 })) }),
        });
        // a life: waiting on the customer, back open, resolved (the last one still open)
        if (!last) {
          events.push(
            { request: id, id: `${id}-wait`, at: iso(at.plus({ hours: 1 })), type: 'status', status: 'waiting-customer' },
            { request: id, id: `${id}-open`, at: iso(at.plus({ hours: 3 })), type: 'status', status: 'open' },
            { request: id, id: `${id}-done`, at: iso(at.plus({ hours: n === 2 ? 60 : 5 })), type: 'status', status: 'resolved' },
          );
        }
        n++;
      }
    }
    // one request the offering does not cover: rejected, with its reasons
    const other = [...plan.services.keys()].find((s) => !o.services.includes(s));
    if (other) {
      const at = month.set({ day: 12, hour: 11 });
      requests.push({ id: `${c.id}-${month.toFormat('yyyyMM')}-rejected`, customer: c.id, offering: o.id, service: other, category: o.categories[0], severity: severities[severities.length - 1], channel: o.channels[0], receivedAt: iso(at) });
    }
  }
  await insert('requests', requests);
  await addEvents(repo, plan, events);
  const accepted = new Set((await Promise.all(requests.map((r) => repo.getRequest(partner, r.id as string)))).filter((r) => r?.decision.accepted).map((r) => r!.id));
  await insert(
    'worklogs',
    requests.filter((r) => accepted.has(r.id as string)).map((r, i) => ({ id: `${r.id}-work`, request: r.id, start: iso(DateTime.fromISO(r.receivedAt as string).plus({ minutes: 45 })), minutes: 30 + ((i * 35) % 150) })),
  );
  // cloud spend for both months, but not last month's of the second customer: its draft warns SPEND_MISSING where a share of spend is priced
  await insert(
    'spend',
    customers.flatMap((c, i) =>
      months.flatMap((m) =>
        m === month && i === 1 ? [] : c.offering.services.map((service, k) => ({ id: `${c.id}-${m.toFormat('yyyyMM')}-${service}`, customer: c.id, period: m.toFormat('yyyy-MM'), service, amount: `${1500 + k * 750 + i * 400}.00` })),
      ),
    ),
  );

  // the month before last: issued for every customer; the first invoice with a charge gets a credit note for half its first charged line
  let credited = false;
  for (const c of customers) {
    const billed = await billCustomer(repo, plan, c.id, before.toFormat('yyyy-MM'), true, { nowMs, force: true });
    const line = billed.statement.lines.findIndex((l) => !l.amount.startsWith('-') && /[1-9]/.test(l.amount));
    if (!credited && billed.issued && line >= 0) {
      const half = scaled(billed.statement.lines[line]!.amount, 1n, 2n);
      await issueCreditNote(repo, plan, billed.issued.number, { reason: 'Goodwill: onboarding took longer than agreed', lines: [{ line, amount: half }] });
      credited = true;
    }
  }
}
