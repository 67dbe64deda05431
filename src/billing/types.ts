// Input and output of the billing engine (SPEC §4). The same pure function
// prices quotes (§4.7) and statements from the store.
import type { Plan } from '../plans/types.js';
import type { Decision } from '../rules/types.js';
import type { AdjustmentFacts, LineKind, PriceOverride, PricingWarning, StatementWarning } from '../models/types.js';
import type { ModelFacts } from '../models/index.js';

export interface QuantityInput {
  readonly metric: string;
  readonly value: number; // non-negative integer
  readonly from: string; // local date
}

export interface SubscriptionInput {
  readonly id?: string;
  readonly offering: string;
  readonly start: string; // local date, inclusive
  readonly end?: string | null; // local date, inclusive
  readonly discount?: string | null; // percentage "10%"
  readonly quantities?: readonly QuantityInput[];
  /** Customer prices (§8.2): component id -> override, applied to every version of that component. */
  readonly prices?: Readonly<Record<string, PriceOverride>> | null;
  /** Grandfathering (§8.3): local date; each component priced as the version in force on it. */
  readonly priceAsOf?: string | null;
}

export interface RequestInput {
  readonly id: string;
  readonly offering: string;
  readonly customer?: string;
  readonly service: string;
  readonly category: string;
  readonly severity: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly serviceIncident?: boolean;
  readonly respondedAt?: string | null;
  /** A stored decision (API). Absent: the engine evaluates the request (quotes). */
  readonly decision?: Decision;
  /** The request's life (§11.2): responses, status and severity changes, applied in order of `at` (ties in this order). */
  readonly events?: readonly RequestEventInput[];
}

// One event of a request's life (§11.2) and its statuses: the clocks' own types (src/rules/sla.ts).
import type { RequestEventInput } from '../rules/sla.js';
export type { RequestEventInput, RequestStatus } from '../rules/sla.js';

export interface WorklogInput {
  readonly id?: string;
  readonly request?: string; // request id; its offering is the worklog's
  readonly offering?: string; // when not tied to a request
  readonly start: string; // instant
  readonly minutes: number; // positive integer
  /** The hourly component of its offering it is billed under (§8.6); absent: the offering's first hourly component. */
  readonly component?: string;
  /** false: shown at no charge and uses no allowance (§8.6); default true. */
  readonly billable?: boolean;
}

/** Prepaid blocks bought (§10): granted on `date`, charged on that period's statement. */
export interface PurchaseInput {
  readonly id: string;
  readonly subscription: string;
  readonly component: string; // a block component of the subscription's offering
  readonly date: string; // local date
  readonly quantity?: number; // whole blocks, default 1
  readonly amount?: string; // decimal string; default quantity × the block's amount
}

/** A block's ledger at the end of `period`: its grants with something left, oldest first (made: the period of the grant). */
export interface LedgerState {
  readonly subscription: string;
  readonly component: string;
  readonly period: string;
  readonly open: readonly { readonly made: string; readonly left: number }[];
}

/** A prepaid block's ledger for one subscription and the statement's period (§10), in minutes or incidents. */
export interface Balance {
  readonly subscription: string;
  readonly component: string;
  readonly unit: 'minutes' | 'incidents';
  readonly opening: number;
  readonly granted: number;
  readonly used: number;
  readonly expired: number;
  readonly closing: number;
}

export interface SpendInput {
  readonly id?: string;
  readonly service: string;
  readonly amount: string; // decimal string, major units; negative for credits and refunds
  /** Retail value of the same spend (§12.3), for percent-of-spend with basis retail. */
  readonly retail?: string;
  readonly period?: string;
}

export interface CustomerInput {
  readonly id: string;
  readonly name?: string;
  readonly locale?: string;
  readonly taxRate?: string | null; // percentage "8.25%"
  /** The customer's tax registration number, printed on issued invoices (§9.7); not priced. */
  readonly taxId?: string | null;
}

/** A one-off charge (positive) or credit (negative) on a customer's period (§9.1). */
export interface AdjustmentInput {
  readonly id: string;
  readonly description: string;
  readonly amount: string; // decimal string in the statement's currency
  readonly offering?: string;
  readonly taxable?: boolean; // default true
}

/** What is still owed (or owed back) for an offering of an earlier issued period (§9.6); src/app computes it, the core only lines it. */
export interface CorrectionInput {
  readonly offering: string;
  readonly corrects: string; // the issued invoice's number
  readonly period: string; // its period, YYYY-MM
  readonly amount: string; // decimal string, the currency's exponent
  readonly description?: string;
}

export interface BillingInput {
  readonly plan: Plan;
  readonly period: string; // YYYY-MM
  readonly customer: CustomerInput;
  readonly subscriptions: readonly SubscriptionInput[];
  readonly requests: readonly RequestInput[];
  readonly worklogs: readonly WorklogInput[];
  readonly spend: readonly SpendInput[];
  /** Prepaid blocks bought (§10); like worklogs and requests, may hold earlier periods' records (the block ledger reads them). */
  readonly purchases?: readonly PurchaseInput[];
  /**
   * Block ledgers to resume from (§10): the state a statement of an earlier
   * period gave (PricedStatement.ledgers). A block with one runs from the
   * period after it and needs no record up to it; without one, from the
   * subscription's start. The caller keeps a state only while the records it
   * was computed from are unchanged (a late record makes it stale).
   */
  readonly ledgers?: readonly LedgerState[];
  /** Lines after every subscription line, in this order (order of creation). */
  readonly adjustments?: readonly AdjustmentInput[];
  /** Lines after the adjustments; the core orders them oldest period first. */
  readonly corrections?: readonly CorrectionInput[];
  /**
   * The instant (ms) the statement is priced at, lent by the shell's clock: a
   * period not ended by then carries PERIOD_NOT_ENDED. Absent: not checked
   * (quotes, repricing of issued periods).
   */
  readonly asOfMs?: number;
}

/** The quote document of §4.7, as parsed from JSON (plan looked up by `partner`). */
export interface QuoteDocument {
  readonly partner: string;
  readonly period: string;
  readonly customer: CustomerInput;
  readonly subscriptions: readonly SubscriptionInput[];
  readonly requests?: readonly RequestInput[];
  readonly worklogs?: readonly WorklogInput[];
  readonly spend?: readonly SpendInput[];
  readonly adjustments?: readonly AdjustmentInput[];
  readonly purchases?: readonly PurchaseInput[];
}

interface LineBase {
  readonly offering: string;
  readonly component: string; // component id, or 'minimum' | 'discount' | 'service-credit'
  readonly model?: string;
  readonly kind?: LineKind;
  readonly quantity?: string;
  readonly unit?: string;
  readonly unitPrice?: string;
  readonly amount: string; // decimal string in major units, currency's exponent
  readonly subscription?: string;
  /** Component lines (§8.4): the plan's price, the customer's own (override wins) or the plan as of priceAsOf. */
  readonly priceSource?: 'plan' | 'override' | 'grandfathered';
  /** Grandfathered lines (§8.3), also when an override wins: the subscription's priceAsOf, for the words "price as of …". */
  readonly priceAsOf?: string;
  /** Adjustment lines (§9.1): the adjustment's id. */
  readonly adjustment?: string;
  /** false on an adjustment kept out of the tax base (§9.2); absent: taxable. */
  readonly taxable?: false;
  /** Correction lines (§9.6): the number of the issued invoice corrected. */
  readonly corrects?: string;
}

/** What a line says, in no language: a model's facts, or a minimum, discount or credit. */
export type LineFacts = ModelFacts | AdjustmentFacts;

/** A line as the billing engine prices it: facts, no words (render/lines.ts writes the description). */
export interface BilledLine extends LineBase {
  readonly facts: LineFacts;
  /** Index in the offering's pricing of the component version priced (model lines only): its description labels the line. */
  readonly version?: number;
}

/** A line of the statement document (JSON, CSV, issued): the description is in the statement's locale. */
export interface StatementLine extends LineBase {
  readonly description: string;
}

/** Per-request detail kept for documents (the month's requests table). */
export interface StatementRequest {
  readonly id: string;
  readonly offering: string;
  readonly severity: string;
  readonly category: string;
  readonly receivedAt: string;
  readonly responseDueAt: string | null;
  readonly respondedAt: string | null;
  readonly status: 'met' | 'breached' | 'open';
  readonly billable: boolean;
  /** The SLA clocks over the request's life (§11.3), judged at the period's end. */
  readonly response?: StatementClock;
  readonly resolution?: StatementClock | null;
  /** Spans the clocks did not count (the severity's `pauseOn`); `to` null: not resumed. */
  readonly pauses?: readonly { readonly from: string; readonly to: string | null; readonly status: string }[];
  /** The severity in force when it differs from the one at intake (a severity change applies to the whole life). */
  readonly severityNow?: string;
  /** Received in an earlier period: listed because one of its clocks belongs to this one. */
  readonly earlier?: true;
}

/** One SLA clock on a statement: its target, due time, state and the period it belongs to. */
export interface StatementClock {
  readonly target: string;
  readonly dueAt: string | null;
  readonly state: 'met' | 'breached' | 'open';
  readonly stoppedAt: string | null;
  /** YYYY-MM of its due time in the partner's timezone (§11.4); null while paused (no due time yet). */
  readonly period: string | null;
}

/** Counts of one kind of clock belonging to the period (§11.4); `open`: running past the period's end, not yet due. */
export interface ClockCounts {
  readonly met: number;
  readonly breached: number;
  readonly open: number;
}

/** §11.4: `met`/`breached` equal the response clock's; each clock is counted in the period it belongs to. */
export interface ServiceLevels {
  readonly requests: number;
  readonly met: number;
  readonly breached: number;
  readonly response?: ClockCounts;
  readonly resolution?: ClockCounts;
}

interface StatementOf<L, W> {
  readonly partner: string;
  readonly customer: string;
  readonly period: string;
  readonly currency: string;
  readonly lines: readonly L[];
  readonly subtotal: string;
  readonly tax: string;
  readonly taxRate?: string;
  /** Prices include tax (§9.2): `total` = `subtotal`, `tax` is the tax they contain. */
  readonly taxInclusive?: true;
  readonly total: string;
  readonly serviceLevels: ServiceLevels;
  readonly requests?: readonly StatementRequest[];
  readonly hoursWorked?: string; // decimal hours, e.g. "3.75"
  /** Prepaid block ledgers of the period (§10), by subscription then component order; absent when no block. */
  readonly balances?: readonly Balance[];
  /** What the reader should know about how it was priced (absent when nothing): SPEND_BASIS_MISSING (§12.3). */
  readonly warnings?: readonly W[];
  readonly planHash: string;
}

// A model's lines may come with warnings, so the type lives with the models (which import nothing from billing but rational and period).
export type { PriceOverride, PricingWarning, StatementWarning } from '../models/types.js';

/** The statement document: what JSON and CSV show, what is issued and stored. */
export type Statement = StatementOf<StatementLine, StatementWarning>;
/** What priceStatement returns: the same statement with lines as facts. */
export type BilledStatement = StatementOf<BilledLine, PricingWarning>;
