// Input and output of the billing engine (SPEC §4). The same pure function
// prices quotes (§4.7) and statements from the store.
import type { Plan } from '../plans/types.js';
import type { Decision } from '../rules/types.js';
import type { AdjustmentFacts, PricingWarning, StatementWarning } from '../models/types.js';
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
}

export interface WorklogInput {
  readonly id?: string;
  readonly request?: string; // request id; its offering is the worklog's
  readonly offering?: string; // when not tied to a request
  readonly start: string; // instant
  readonly minutes: number; // positive integer
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
}

export interface BillingInput {
  readonly plan: Plan;
  readonly period: string; // YYYY-MM
  readonly customer: CustomerInput;
  readonly subscriptions: readonly SubscriptionInput[];
  readonly requests: readonly RequestInput[];
  readonly worklogs: readonly WorklogInput[];
  readonly spend: readonly SpendInput[];
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
}

interface LineBase {
  readonly offering: string;
  readonly component: string; // component id, or 'minimum' | 'discount' | 'service-credit'
  readonly model?: string;
  readonly kind?: 'business-hours' | 'after-hours';
  readonly quantity?: string;
  readonly unit?: string;
  readonly unitPrice?: string;
  readonly amount: string; // decimal string in major units, currency's exponent
  readonly subscription?: string;
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
  readonly total: string;
  readonly serviceLevels: { readonly requests: number; readonly met: number; readonly breached: number };
  readonly requests?: readonly StatementRequest[];
  readonly hoursWorked?: string; // decimal hours, e.g. "3.75"
  /** What the reader should know about how it was priced (absent when nothing): SPEND_BASIS_MISSING (§12.3). */
  readonly warnings?: readonly W[];
  readonly planHash: string;
}

// A model's lines may come with warnings, so the type lives with the models (which import nothing from billing but rational and period).
export type { PricingWarning, StatementWarning } from '../models/types.js';

/** The statement document: what JSON and CSV show, what is issued and stored. */
export type Statement = StatementOf<StatementLine, StatementWarning>;
/** What priceStatement returns: the same statement with lines as facts. */
export type BilledStatement = StatementOf<BilledLine, PricingWarning>;
