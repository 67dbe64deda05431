// Turning posted or imported bodies into store records: validation against
// the API's JSON Schemas, the checks a schema cannot express (real dates,
// offerings in the plan), request evaluation with §3.1 subscription matching,
// and the body hash that makes record ids idempotent. Shared by the single
// routes, /batch and `tierbook import` so all three accept exactly the same.
import { createHash, randomUUID } from 'node:crypto';
import type { Offering, Plan } from '../plans/types.js';
import { evaluate, evaluateForCustomer } from '../rules/evaluate.js';
import { activeOfferings } from '../rules/subscriptions.js';
import { notAnInstant } from '../rules/request.js';
import type { Decision, SupportRequest } from '../rules/types.js';
import { isInstant, isLocalDate, parseInstant, zoneOffsets } from '../time/instant.js';
import type {
  CustomerRecord,
  Hashed,
  KindRecord,
  PurchaseRecord,
  RecordKind,
  Repository,
  RequestRecord,
  SpendRecord,
  SubscriptionRecord,
  WorklogRecord,
} from '../store/repository.js';
import { BODY_SCHEMAS } from '../wire/records.js';
import { checkPrices } from '../billing/prices.js';
import { ajvToParams, validatorOf as wireValidator } from '../wire/validate.js';
import { ERR, TierbookError, type FieldError as InvalidParam } from '../errors.js';
import { purchaseProblem, purchaseRecord, type PurchaseErrorCode, type PurchaseFields } from './purchases.js';

/** The Ajv options the API uses too (src/wire/validate.ts). */
export { AJV_OPTIONS } from '../wire/validate.js';

/** Compiled on first use: compiling every body schema at import cost a server start about a second. */
const validatorOf = (kind: RecordKind) => wireValidator(BODY_SCHEMAS[kind]);

/** The registry codes of record refusals more specific than INVALID_RECORD (all '{detail}' templates). */
export type RecordErrorCode =
  | 'WORKLOG_OFFERING_NOT_HELD'
  | 'WORKLOG_OFFERING_MISMATCH'
  | 'RESPONSE_BEFORE_RECEIPT'
  | 'RESPONSE_IN_FUTURE'
  | 'UNKNOWN_METRIC'
  | 'UNKNOWN_SERVICE'
  | 'END_BEFORE_START'
  | 'UNKNOWN_COMPONENT'
  | 'PRICE_OVERRIDE_INVALID'
  | PurchaseErrorCode;

/** A record that cannot be stored: a registry error (INVALID_RECORD unless a more precise code is given) with its index and fields. */
export class RecordError extends TierbookError<RecordErrorCode | 'INVALID_RECORD'> {
  override readonly name = 'RecordError';
  override readonly index: number;
  override readonly errors: readonly InvalidParam[];
  constructor(index: number, errors: readonly InvalidParam[], code: RecordErrorCode | 'INVALID_RECORD' = 'INVALID_RECORD') {
    const message = errors.map((e) => `${e.pointer || '/'}: ${e.detail}`).join('; ');
    super(code, message, ERR[code].status, ERR[code].exit, { detail: message }, { errors, index });
    this.index = index;
    this.errors = errors;
  }
}

/** JSON with keys sorted at every level: the same body always hashes the same. */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
export const bodyHash = (body: unknown): string => sha256(canonicalJson(body));

/** Schema errors of one record of `kind`, as JSON pointers into the record. */
export function schemaErrors(kind: RecordKind, body: unknown): InvalidParam[] {
  const v = validatorOf(kind);
  return v(body) ? [] : ajvToParams(v.errors ?? [], 'body');
}

const bad = (index: number, pointer: string, detail: string, code?: RecordErrorCode): RecordError => new RecordError(index, [{ in: 'body', pointer, detail }], code);

/** A response cannot come before the request (it would count as met): the error, or null. */
export function responseBeforeReceipt(respondedAt: string, receivedAt: string): string | null {
  return parseInstant(respondedAt) < parseInstant(receivedAt) ? `respondedAt ${respondedAt} is before receivedAt ${receivedAt}` : null;
}

/**
 * How far a respondedAt may be ahead of the server's clock: a desk's PSA
 * clock a little fast is normal, a response dated tomorrow is a typo
 * (docs/api.md).
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** What is wrong with a respondedAt (before receipt, or in the future beyond CLOCK_SKEW_MS), or null. */
export function responseProblem(respondedAt: string, receivedAt: string, now: number): { code: 'RESPONSE_BEFORE_RECEIPT' | 'RESPONSE_IN_FUTURE'; detail: string } | null {
  const early = responseBeforeReceipt(respondedAt, receivedAt);
  if (early) return { code: 'RESPONSE_BEFORE_RECEIPT', detail: early };
  if (parseInstant(respondedAt) > now + CLOCK_SKEW_MS) {
    return { code: 'RESPONSE_IN_FUTURE', detail: `respondedAt ${respondedAt} is in the future (the server's time is ${new Date(now).toISOString()}, ${CLOCK_SKEW_MS / 60_000} minutes of clock skew allowed)` };
  }
  return null;
}

/** The metrics some offering of the plan counts, in file order (computed once per plan). */
const PLAN_METRICS = new WeakMap<Plan, string[]>();
export function planMetrics(plan: Plan): string[] {
  let m = PLAN_METRICS.get(plan);
  if (!m) PLAN_METRICS.set(plan, (m = [...new Set([...plan.offerings.values()].flatMap(offeringMetrics))]));
  return m;
}

/**
 * Why a quantity of `metric` on a subscription to `offering` would never
 * change a price (a typo such as "sets"), or null. A metric another offering
 * of the plan counts is kept: a change of offering carries quantities over
 * (docs/api.md).
 */
export function metricProblem(plan: Plan, offering: string, metric: string): string | null {
  const o = plan.offerings.get(offering);
  const own = o ? offeringMetrics(o) : [];
  if (own.includes(metric) || planMetrics(plan).includes(metric)) return null;
  const counted = own.length ? `counts ${own.join(', ')}` : 'counts no metric';
  return `no pricing component counts "${metric}": offering "${offering}" ${counted} (the plan's offerings count: ${planMetrics(plan).join(', ') || 'none'})`;
}

/** The metrics an offering's pricing components count (per-unit, tiered, volume, graduated …), in file order. */
export const offeringMetrics = (o: Offering): string[] => [
  ...new Set(o.pricing.map((c) => (c as { metric?: string }).metric).filter((m): m is string => typeof m === 'string')),
];

/**
 * The support request of a body that passed the `requestBody` schema (Fastify
 * validates /evaluate's body with it; Ingest.records every record with
 * `storedRequestBody` through schemaErrors), plus `at`, receivedAt in epoch ms.
 * The body is validated once: the schema already holds everything
 * parseRequest checks (slugs, category, severity label, types, no unknown
 * fields), except that receivedAt names a real instant (a pattern cannot
 * refuse 02-30 or 25:00), which is checked here with parseRequest's message.
 * `i` names the record in errors.
 */
export function requestOf(plan: Plan, b: Body, i = 0): { request: SupportRequest; at: number } {
  const partner = plan.partner.id;
  if (b.partner !== undefined && b.partner !== partner) {
    throw bad(i, '/partner', `the request names partner "${String(b.partner)}" but was sent to partner "${partner}"`);
  }
  const receivedAt = b.receivedAt as string;
  const at = parseInstant(receivedAt);
  if (Number.isNaN(at)) {
    throw bad(i, '/receivedAt', notAnInstant(receivedAt));
  }
  // parseRequest's shape: every key present, null read as absent
  const request: SupportRequest = {
    partner,
    offering: (b.offering as string | null | undefined) ?? undefined,
    customer: (b.customer as string | null | undefined) ?? undefined,
    service: b.service as string,
    category: b.category as string,
    severity: b.severity as string,
    channel: b.channel as string,
    receivedAt,
    serviceIncident: (b.serviceIncident as boolean | null | undefined) ?? undefined,
  };
  return { request, at };
}

/**
 * The decision once the customer's subscriptions are known: `held` undefined
 * when the customer is absent or unknown (then an offering must be named, and
 * evaluate says so otherwise). §3.1 matching is on the request's local date.
 */
export function decideFor(plan: Plan, request: SupportRequest, at: number, held: readonly SubscriptionRecord[] | undefined): Decision {
  if (held === undefined) return evaluate(plan, request);
  // the zone table is the rules engine's own (no luxon per request)
  const date = zoneOffsets(plan.partner.timezone).localDate(at);
  return evaluateForCustomer(plan, request, activeOfferings(plan, held, date));
}

/**
 * The decision for a schema-valid request body (see requestOf; POST /evaluate,
 * and every stored request): §3.1 subscription matching when the customer is
 * known. `i` names the record in errors; `subs` lets a batch share its
 * subscription lookups.
 */
export async function decideRequest(
  repo: Repository,
  plan: Plan,
  b: Body,
  i = 0,
  subs?: (customer: string) => Promise<readonly SubscriptionRecord[]>,
): Promise<{ request: SupportRequest; decision: Decision }> {
  const { request, at } = requestOf(plan, b, i);
  return { request, decision: decideFor(plan, request, at, await holdings(repo, plan.partner.id, request.customer, subs)) };
}

/** What decideFor needs to know of the customer: its subscriptions, undefined when absent or unknown. */
export async function holdings(
  repo: Repository,
  partner: string,
  customer: string | undefined,
  subs?: (customer: string) => Promise<readonly SubscriptionRecord[]>,
): Promise<readonly SubscriptionRecord[] | undefined> {
  if (!customer || !(await repo.getCustomer(partner, customer))) return undefined;
  return subs ? subs(customer) : repo.listSubscriptions(partner, customer);
}

type Body = Record<string, unknown>;

/**
 * Validates and converts bodies of one kind into records ready for
 * Repository.insertMany. Reads the store (subscriptions, requests) but never
 * writes. Throws RecordError naming the first bad record's index.
 */
export class Ingest {
  private readonly subsCache = new Map<string, Promise<SubscriptionRecord[]>>();

  constructor(
    private readonly repo: Repository,
    private readonly plan: Plan,
    /** The clock a respondedAt is checked against (tests pass a fixed one). */
    private readonly now: () => number = Date.now,
  ) {}

  private get partner(): string {
    return this.plan.partner.id;
  }

  private subs(customer: string): Promise<SubscriptionRecord[]> {
    let p = this.subsCache.get(customer);
    if (!p) {
      p = this.repo.listSubscriptions(this.partner, customer);
      this.subsCache.set(customer, p);
    }
    return p;
  }

  async records<K extends RecordKind>(kind: K, bodies: readonly unknown[]): Promise<Hashed<KindRecord[K]>[]> {
    const out: Hashed<KindRecord[K]>[] = [];
    for (let i = 0; i < bodies.length; i++) {
      const body = bodies[i];
      const errors = schemaErrors(kind, body);
      if (errors.length > 0) throw new RecordError(i, errors);
      const record = (await this.convert(kind, body as Body, i)) as KindRecord[K];
      out.push({ record, bodyHash: bodyHash(body) });
    }
    return out;
  }

  private convert(kind: RecordKind, b: Body, i: number): Promise<KindRecord[RecordKind]> | KindRecord[RecordKind] {
    switch (kind) {
      case 'customers':
        return this.customer(b);
      case 'subscriptions':
        return this.subscription(b, i);
      case 'requests':
        return this.request(b, i);
      case 'worklogs':
        return this.worklog(b, i);
      case 'spend':
        return this.spend(b, i);
      case 'purchases':
        return this.purchase(b, i);
    }
  }

  /** A purchase of prepaid blocks (app/purchases.ts says what is refused). */
  private async purchase(b: Body, i: number): Promise<PurchaseRecord> {
    const p = { ...(b as unknown as PurchaseFields), id: (b.id as string | undefined) ?? randomUUID() };
    const problem = purchaseProblem(this.plan, p, await this.repo.getSubscription(this.partner, p.subscription));
    if (problem) throw bad(i, problem.pointer, problem.detail, problem.code === 'INVALID_RECORD' ? undefined : problem.code);
    return purchaseRecord(p);
  }

  customer(b: Body): CustomerRecord {
    return {
      id: b.id as string,
      name: b.name as string,
      locale: (b.locale as string | undefined) ?? null,
      taxRate: (b.taxRate as string | undefined) ?? null,
      email: (b.email as string | undefined) ?? null,
      tenantId: typeof b.tenantId === 'string' ? b.tenantId.toLowerCase() : null,
      taxId: (b.taxId as string | null | undefined) ?? null,
    };
  }

  private subscription(b: Body, i: number): SubscriptionRecord {
    const offering = b.offering as string;
    if (!this.plan.offerings.has(offering)) {
      throw bad(i, '/offering', `unknown offering "${offering}" (declared: ${[...this.plan.offerings.keys()].join(', ')})`);
    }
    const start = b.start as string;
    const end = (b.end as string | null | undefined) ?? null;
    if (!isLocalDate(start)) throw bad(i, '/start', `"${start}" is not a date`);
    if (end !== null && !isLocalDate(end)) throw bad(i, '/end', `"${end}" is not a date`);
    if (end !== null && end < start) throw bad(i, '/end', `end ${end} is before start ${start}`, 'END_BEFORE_START');
    const prices = (b.prices as SubscriptionRecord['prices'] | undefined) ?? null;
    const priceProblems = checkPrices(this.plan.offerings.get(offering)!, prices);
    if (priceProblems.length > 0) throw new RecordError(i, priceProblems.map((p) => ({ in: 'body', pointer: p.pointer, detail: p.message })), priceProblems[0]!.code);
    const quantities = ((b.quantities as Body[] | undefined) ?? []).map((q, qi) => {
      if (!isLocalDate(q.from as string)) throw bad(i, `/quantities/${qi}/from`, `"${String(q.from)}" is not a date`);
      const wrong = metricProblem(this.plan, offering, q.metric as string);
      if (wrong) throw bad(i, `/quantities/${qi}/metric`, wrong, 'UNKNOWN_METRIC');
      return { metric: q.metric as string, value: q.value as number, from: q.from as string };
    });
    return {
      id: (b.id as string | undefined) ?? randomUUID(),
      customer: b.customer as string,
      offering,
      start,
      end,
      discount: (b.discount as string | null | undefined) ?? null,
      prices,
      priceAsOf: (b.priceAsOf as string | null | undefined) ?? null,
      quantities,
    };
  }

  /** The decision for a request body; `i` names the record in errors. */
  decide(b: Body, i = 0): Promise<{ request: SupportRequest; decision: Decision }> {
    return decideRequest(this.repo, this.plan, b, i, (customer) => this.subs(customer));
  }

  private async request(b: Body, i: number): Promise<RequestRecord> {
    const respondedAt = (b.respondedAt as string | null | undefined) ?? null;
    if (respondedAt !== null && !isInstant(respondedAt)) throw bad(i, '/respondedAt', `"${respondedAt}" is not an instant`);
    const customer = b.customer as string;
    if (!(await this.repo.getCustomer(this.partner, customer))) throw bad(i, '/customer', `unknown customer "${customer}"`);
    const { request, decision } = await this.decide(b, i);
    const problem = respondedAt === null ? null : responseProblem(respondedAt, request.receivedAt, this.now());
    if (problem) throw bad(i, '/respondedAt', problem.detail, problem.code);
    return {
      id: (b.id as string | undefined) ?? randomUUID(),
      customer,
      offering: request.offering ?? null,
      service: request.service,
      category: request.category,
      severity: request.severity,
      channel: request.channel,
      receivedAt: request.receivedAt,
      serviceIncident: request.serviceIncident ?? null,
      respondedAt,
      decision,
    };
  }

  private async worklog(b: Body, i: number): Promise<WorklogRecord> {
    const start = b.start as string;
    if (!isInstant(start)) throw bad(i, '/start', `"${start}" is not an instant`);
    let customer = (b.customer as string | undefined) ?? null;
    let offering = (b.offering as string | undefined) ?? null;
    const requestId = (b.request as string | undefined) ?? null;
    if (requestId !== null) {
      const req = await this.repo.getRequest(this.partner, requestId);
      if (!req) throw bad(i, '/request', `unknown request "${requestId}"`);
      if (customer !== null && customer !== req.customer) throw bad(i, '/customer', `request "${requestId}" belongs to customer "${req.customer}"`);
      customer = req.customer;
      // the worklog is billed under the request's offering: another one named here would be silently ignored
      const billed = req.decision.offering ?? req.offering;
      if (offering !== null && billed !== null && offering !== billed) {
        throw bad(i, '/offering', `request "${requestId}" is billed under offering "${billed}", not "${offering}"; leave offering out or name "${billed}"`, 'WORKLOG_OFFERING_MISMATCH');
      }
      offering ??= billed;
    } else if (offering !== null && !this.plan.offerings.has(offering)) {
      throw bad(i, '/offering', `unknown offering "${offering}"`);
    }
    if (customer === null || !(await this.repo.getCustomer(this.partner, customer))) {
      throw bad(i, '/customer', `unknown customer "${customer ?? ''}"`);
    }
    if (requestId === null && offering !== null) {
      // stored but never billed otherwise: the customer must hold the offering on the worklog's local date
      const date = zoneOffsets(this.plan.partner.timezone).localDate(parseInstant(start));
      if (!activeOfferings(this.plan, await this.subs(customer), date).includes(offering)) {
        throw bad(i, '/offering', `customer "${customer}" does not hold offering "${offering}" on ${date}`, 'WORKLOG_OFFERING_NOT_HELD');
      }
    }
    const component = (b.component as string | undefined) ?? null;
    if (component !== null) {
      // §8.6: an hourly component of the offering it is billed under
      const o = offering === null ? undefined : this.plan.offerings.get(offering);
      const hourly = [...new Set(o?.pricing.filter((c) => c.model === 'hourly').map((c) => c.id) ?? [])];
      if (!hourly.includes(component)) {
        throw bad(i, '/component', `offering "${offering ?? ''}" has no hourly component "${component}" (hourly components: ${hourly.join(', ') || 'none'})`, 'UNKNOWN_COMPONENT');
      }
    }
    const billable = b.billable === false ? false : true;
    return { id: (b.id as string | undefined) ?? randomUUID(), customer, request: requestId, offering, start, minutes: b.minutes as number, component, billable };
  }

  private spend(b: Body, i: number): SpendRecord {
    const customer = b.customer as string;
    const period = b.period as string;
    const service = b.service as string;
    // spend of a service the plan does not know would be stored and counted by no offering
    if (!this.plan.services.has(service)) {
      throw bad(i, '/service', `unknown service "${service}" (the plan's services: ${[...this.plan.services.keys()].join(', ')})`, 'UNKNOWN_SERVICE');
    }
    return {
      id: (b.id as string | undefined) ?? plainSpendId(customer, period, service),
      customer,
      period,
      service,
      amount: b.amount as string,
      retail: (b.retail as string | undefined) ?? null,
    };
  }
}

/**
 * The id of a spend row posted or imported without one: derived from
 * (customer, period, service), so the same CSV imported twice replays instead
 * of counting the month twice (docs/operations.md); another amount for the
 * same key conflicts instead of adding up.
 */
export function plainSpendId(customer: string, period: string, service: string): string {
  return 'spend-' + sha256(`${customer}\n${period}\n${service}`).slice(0, 32);
}
