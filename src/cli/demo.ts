// The demo of `tierbook start`: on an empty store only, one customer per
// partner plan with last month's subscription, requests, worklogs and spend,
// all written through the same ingest path as the API.
import { DateTime } from 'luxon';
import { Ingest } from '../app/ingest.js';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';

export interface SeededDemo {
  readonly partner: string;
  readonly customer: string;
  readonly period: string;
}

/** The demo customer and period of each plan; seeds only when the store is empty. */
export async function seedDemo(repo: Repository, plans: readonly Plan[]): Promise<SeededDemo[]> {
  const seed = await repo.isEmpty();
  const out: SeededDemo[] = [];
  for (const plan of plans) {
    const zone = plan.partner.timezone;
    const month = DateTime.now().setZone(zone).startOf('month').minus({ months: 1 });
    const period = month.toFormat('yyyy-MM');
    const customer = 'demo-customer';
    out.push({ partner: plan.partner.id, customer, period });
    if (seed) await seedPlan(repo, plan, customer, month);
  }
  return out;
}

async function seedPlan(repo: Repository, plan: Plan, customer: string, month: DateTime): Promise<void> {
  const partner = plan.partner.id;
  const offering = [...plan.offerings.values()].find((o) => o.services.length > 0 && o.channels.length > 0 && o.severities.size > 0);
  if (!offering) return;
  const ingest = new Ingest(repo, plan);
  const first = month.toISODate()!;
  const metrics = [...new Set(offering.pricing.flatMap((c) => ('metric' in c ? [c.metric] : [])))];
  const insert = async (kind: Parameters<Ingest['records']>[0], bodies: unknown[]): Promise<void> => {
    await repo.insertMany(partner, kind, await ingest.records(kind, bodies));
  };
  await insert('customers', [{ id: customer, name: 'Demo Customer', locale: plan.partner.locale }]);
  await insert('subscriptions', [
    { id: 'demo-subscription', customer, offering: offering.id, start: first, quantities: metrics.map((metric) => ({ metric, value: 30, from: first })) },
  ]);

  // Working days at 10:00 and 15:30 local time: inside usual office hours.
  const severities = [...offering.severities.keys()];
  const requests: Record<string, unknown>[] = [];
  for (let d = month; d.month === month.month && requests.length < 12; d = d.plus({ days: 3 })) {
    if (d.weekday > 5) continue;
    const n = requests.length;
    const at = d.set({ hour: n % 2 ? 15 : 10, minute: n % 2 ? 30 : 0 });
    requests.push({
      id: `demo-${n + 1}`,
      customer,
      service: offering.services[n % offering.services.length],
      category: offering.categories[n % offering.categories.length],
      severity: severities[severities.length - 1 - (n % Math.min(2, severities.length))],
      channel: offering.channels[n % offering.channels.length],
      receivedAt: at.toISO({ suppressMilliseconds: true }),
      // most answered within the hour, one late, so the service levels show both
      respondedAt: at.plus({ minutes: n === 3 ? 60 * 30 : 40 }).toISO({ suppressMilliseconds: true }),
    });
  }
  await insert('requests', requests);
  await insert(
    'worklogs',
    requests.map((r, i) => ({ id: `demo-work-${i + 1}`, request: r.id, start: r.respondedAt, minutes: 20 + ((i * 25) % 100) })),
  );
  await insert(
    'spend',
    offering.services.map((service, i) => ({ id: `demo-spend-${service}`, customer, period: month.toFormat('yyyy-MM'), service, amount: `${1500 + i * 750}.00` })),
  );
}
