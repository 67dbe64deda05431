// Statements from the store: the same pure priceStatement as quotes, fed
// with what the store holds for one customer and period.
import type { BillingInput, Statement } from '../billing/types.js';
import { period as periodOf } from '../time/period.js';
import { priceStatement } from '../billing/statement.js';
import { describeStatement } from '../render/lines.js';
import type { Plan } from '../plans/types.js';
import type { CustomerPeriodData, PurchaseRecord, Repository } from '../store/repository.js';
import { blockHistory, purchaseInput, withHistory } from './purchases.js';
import { canonicalJson, sha256 } from './ingest.js';
import { pricedSpend } from '../partner-center/precedence.js';

/** The billing input of a customer's period, or null when the customer is unknown. */
export async function billingInput(repo: Repository, plan: Plan, customer: string, period: string): Promise<BillingInput | null> {
  const P = periodOf(period, plan.partner.timezone);
  const data = await repo.periodData(plan.partner.id, customer, period, P.startMs, P.endMs);
  if (!data) return null;
  // prepaid blocks: the ledger runs from the subscription's start (one more read, only for customers with a block)
  const history = await blockHistory(repo, plan, data, P);
  return toBillingInput(plan, period, history ? withHistory(data, history) : data, history?.purchases);
}

export function toBillingInput(plan: Plan, period: string, d: CustomerPeriodData, purchases?: readonly PurchaseRecord[]): BillingInput {
  return {
    plan,
    period,
    customer: { id: d.customer.id, name: d.customer.name, ...(d.customer.locale ? { locale: d.customer.locale } : {}), taxRate: d.customer.taxRate, ...(d.customer.taxId ? { taxId: d.customer.taxId } : {}) },
    // customer prices and grandfathering (§8.2, §8.3) are priced by the engine: absent when none, so old inputs digest as before
    subscriptions: d.subscriptions.map((s) => ({ id: s.id, offering: s.offering, start: s.start, end: s.end, discount: s.discount, quantities: s.quantities, ...(s.prices ? { prices: s.prices } : {}), ...(s.priceAsOf ? { priceAsOf: s.priceAsOf } : {}) })),
    requests: d.requests.map((r) => ({
      id: r.id,
      // the stored decision says which offering took it (§3.1 matching happened at arrival)
      offering: r.decision.offering ?? r.offering ?? '',
      customer: r.customer,
      service: r.service,
      category: r.category,
      severity: r.severity,
      channel: r.channel,
      receivedAt: r.receivedAt,
      ...(r.serviceIncident !== null ? { serviceIncident: r.serviceIncident } : {}),
      respondedAt: r.respondedAt,
      decision: r.decision,
    })),
    worklogs: d.worklogs.map((w) => ({ id: w.id, ...(w.request ? { request: w.request } : {}), ...(w.offering ? { offering: w.offering } : {}), start: w.start, minutes: w.minutes })),
    // §12.2: billed Partner Center records over unbilled, invoice file over daily file of one invoice
    spend: pricedSpend(d.spend).map((s) => ({ id: s.id, service: s.service, amount: s.amount, ...(s.retail ? { retail: s.retail } : {}), period: s.period })),
    ...(purchases && purchases.length > 0 ? { purchases: purchases.map(purchaseInput) } : {}),
  };
}

/** What a statement was priced from, for the issued record: the inputs with the plan by hash. */
export function inputsDigest(input: BillingInput): string {
  return 'sha256:' + sha256(canonicalJson({ ...input, plan: input.plan.hash }));
}

/** The statement document of a customer's period: priced, its lines described in the customer's (else the partner's) locale. */
export function draftStatement(input: BillingInput): Statement {
  return describeStatement(priceStatement(input), input.plan, { customerLocale: input.customer.locale });
}

/** The issued document: the statement with its number; stored and served byte for byte. */
export function issuedBody(statement: Statement, number: string, issuedAt: string): string {
  return JSON.stringify({ number, issuedAt, ...statement }, null, 2) + '\n';
}
