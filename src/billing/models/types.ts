// One small interface behind which every pricing model of SPEC §4.1 sits
// (in the manner of Lago's charge models): the statement builds a context for
// one subscription and one version of one component, the model answers with
// exact lines. Rounding, ordering and totals are the statement's business.
import type { Offering, PricingComponent, PricingModel as ModelName } from '../../plans/types.js';
import type { Currency } from '../money.js';
import type { DateRange, Period } from '../period.js';
import type { Rat } from '../rational.js';
import type { Texts } from '../describe.js';

/** A request of the period that counts for billing: accepted, with an active subscription. */
export interface PricedRequest {
  readonly id: string;
  readonly offering: string;
  readonly category: string;
  readonly severity: string;
  readonly date: string; // local date in the partner's timezone
  readonly receivedMs: number;
  readonly billable: boolean;
  readonly handledBy: string;
  readonly receivedAt: string;
  readonly responseDueAt: string | null;
  readonly respondedAt: string | null;
}

export interface PricedWorklog {
  readonly id: string;
  readonly request: string | null;
  readonly offering: string;
  readonly startMs: number;
  readonly date: string;
  readonly minutes: number;
  readonly handledBy: string;
}

export interface ModelContext {
  readonly offering: Offering;
  readonly component: PricingComponent; // one version
  readonly period: Period;
  /** Local dates where the subscription, the period and this version overlap (null: none). */
  readonly active: DateRange | null;
  /** q(d): the subscription's quantity of a metric on a local date (0 before its first record). */
  quantity(metric: string, date: string): number;
  /** Requests and worklogs of the subscription whose local date lies in `active`, in start order. */
  readonly requests: readonly PricedRequest[];
  readonly worklogs: readonly PricedWorklog[];
  /** The period's spend per service when this subscription carries it (see percent-of-spend), else null. */
  readonly spend: ReadonlyMap<string, Rat> | null;
  readonly currency: Currency;
  readonly text: Texts;
  serviceName(id: string): string;
}

/** A line before rounding: the amount is exact. */
export interface ModelLine {
  readonly amount: Rat;
  readonly description: string;
  readonly kind?: 'business-hours' | 'after-hours';
  readonly quantity?: string;
  readonly unit?: string;
  readonly unitPrice?: string;
}

export interface PricingModel {
  lines(ctx: ModelContext): ModelLine[];
}

export type { ModelName };
