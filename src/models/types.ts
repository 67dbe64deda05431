// The ModelDef contract: everything about one pricing model of SPEC §4.1 in
// one value (docs/pricing-models.md). The plan schema, the compiler, the
// statement, the terms, the plan diff and the rules engine all reach a model
// through the registry (./index.ts), never through their own list of models.
//
// src/models is a layer below plans (test/architecture/layers.test.ts): it
// imports only time, calendar and shared modules (decimal, rational,
// wire/patterns) and TypeBox *types*. What it needs of the plan compiler and
// of a compiled offering it names here as interfaces, which plans' Ctx and
// Offering satisfy. `tierbook check` loads the registry for the compile step,
// so no TypeBox value (./schema-kit.ts is imported as a type only), dinero or
// renderer may load with it.
import type { TSchema } from '@sinclair/typebox';
import type { Calendar } from '../calendar/types.js';
import type { Dec, Percent } from '../decimal.js';
import type { Category } from '../wire/patterns.js';
import type { DateRange, Period } from '../time/period.js';
import type { Rat } from '../rational.js';
import type { SchemaKit } from './schema-kit.js';

/** Display text: locale -> string; always has 'en-US' (the fallback). */
export type LocaleText = Readonly<Record<string, string>>;

/** One tier of the tiered models (graduated, volume) and of the terms' tier table. */
export interface Tier {
  readonly upTo: number | null; // null = open-ended last tier
  readonly amount: Dec; // unit price
  readonly flat?: Dec; // block price added when the tier is reached
}

/** A step of a path into the plan file (plans/path.ts): a key or an index. */
type Seg = string | number;

/** What a model reads of its compiled offering (plans' Offering is one). */
export interface ModelOffering {
  readonly id: string;
  readonly calendar: Calendar;
}

/** The compiler's finding collector as a model uses it (plans/context.ts Ctx is one). */
export interface CompileCtx {
  error(segs: readonly Seg[], message: string, onKey?: boolean): void;
  /** An amount read from its source text, at most maxDecimals decimals (`why` names the limit); null after an error. */
  money(segs: readonly Seg[], value: unknown, maxDecimals: number, why: string): Dec | null;
  percent(segs: readonly Seg[], value: string): Percent | null;
}

/** What every version of every pricing component has, whatever its model. */
export interface ComponentBase {
  readonly id: string;
  readonly from?: string; // local date YYYY-MM-DD, inclusive
  readonly to?: string; // local date YYYY-MM-DD, inclusive
  /** Position of the first version of this id in the offering's pricing list: the line order. */
  readonly order: number;
  readonly description?: LocaleText;
}

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
  /** The hourly component it is billed under (§8.6): its own, else the offering's first hourly component. */
  readonly component?: string | null;
  /** false: shown as a no-charge line, uses no allowance (§8.6). Absent: billable. */
  readonly billable?: boolean;
}

/** A purchase of prepaid blocks (§10) of the period, for one subscription and one block component. */
export interface PricedPurchase {
  readonly id: string;
  readonly date: string; // local date
  readonly quantity: number;
  /** Its price as given; null: quantity × the block's amount. */
  readonly amount: Rat | null;
}

/** One chargeable use of a drawing component after its allowance (§10): minutes, or 1 incident; in time order. */
export interface Metered {
  readonly id: string;
  readonly date: string;
  readonly ms: number;
  readonly units: number;
}

/** What a block (§10) lends a component it draws from, for one subscription and period. */
export interface BlockDraw {
  readonly block: string; // the block component's id
  /** Units taken from the block per usage id (absent: none). */
  readonly drawn: ReadonlyMap<string, number>;
  /** Price per hour or incident beyond the balance; null: the drawing component's own price. */
  readonly overage: Dec | null;
}

/** What the statement hands a model for one subscription and one version of one component. */
export interface ModelContext<C = unknown> {
  readonly offering: ModelOffering;
  readonly component: C; // one version
  readonly period: Period;
  /** Local dates where the subscription, the period and this version overlap. */
  readonly active: DateRange;
  /** q(d): the subscription's quantity of a metric on a local date (0 before its first record). */
  quantity(metric: string, date: string): number;
  /** Requests and worklogs of the subscription whose local date lies in `active`, in start order. */
  readonly requests: readonly PricedRequest[];
  readonly worklogs: readonly PricedWorklog[];
  /** The subscription's active dates in the period (all versions): a monthly block is granted on its first day. */
  readonly subscriptionActive?: DateRange;
  /**
   * The included allowance left for this component id in this subscription
   * and period (§8.5): shared by its versions, priced in date order; null until
   * the first version in force sets it from its own `included`.
   */
  readonly allowance?: { left: number | null };
  /** Set when a block draws this component (§10). */
  readonly block?: BlockDraw | null;
  /** Block models: the period's purchases of this component within `active`. */
  readonly purchases?: readonly PricedPurchase[];
  /** The period's spend per service when this subscription carries it (models with needsSpend), else null. */
  readonly spend: ReadonlyMap<string, Rat> | null;
  /**
   * Beside `spend` (null when it is): per service the retail value (§12.3),
   * each record's `retail`, or its cost when it has none; `missing` names the
   * services with a record that had none.
   */
  readonly retail: { readonly amounts: ReadonlyMap<string, Rat>; readonly missing: ReadonlySet<string> } | null;
  /** A price as written on a line: its own decimals, at least the currency's ("4" -> "4.00"). */
  price(x: Rat): string;
}

/** The `kind` of a model line (hourly parts, labour not charged, prepaid blocks §10). */
export type LineKind = 'business-hours' | 'after-hours' | 'no-charge' | 'grant' | 'block' | 'overage';

/** A line before rounding: the amount is exact; `facts` are what its description says, in no language. */
export interface ModelLine<X = unknown> {
  readonly amount: Rat;
  readonly facts: X;
  readonly kind?: LineKind;
  readonly quantity?: string;
  readonly unit?: string;
  readonly unitPrice?: string;
  /** This line is a recurring fee though its model is not (a monthly block grant, §10): service credits are taken from it. */
  readonly recurring?: boolean;
  /** Notes for the statement's `warnings` (e.g. SPEND_BASIS_MISSING), as facts: render words them. */
  readonly warnings?: readonly PricingWarning[];
}

/** What the compiler lends a model to check and build one component (errors go to ctx at segs). */
export interface CompileKit {
  readonly ctx: CompileCtx;
  /** Path of the component in the plan file: offerings.<id>.pricing.<i>. */
  readonly segs: readonly Seg[];
  /** The offering's currency exponent, and the messages of its two decimal limits. */
  readonly exponent: number;
  readonly whole: string;
  /** Most decimals of a unit price (SPEC §2.2), and its message. */
  readonly unitDecimals: number;
  readonly unit: string;
  /** Declared services of the plan; services covered by the offering. */
  readonly services: ReadonlyMap<string, unknown>;
  readonly offeringServices: readonly string[];
  /** "(declared: a, b, c)" for a message on an unknown reference (plans/context.ts). */
  declared(ids: Iterable<string>): string;
}

/** Locale-bound wording the renderer lends a model (keys name render/locales entries). */
export interface WordsKit {
  t(key: string, params?: Readonly<Record<string, string | number>>): string;
  /** Money of the offering's currency, formatted for the locale. */
  money(d: Dec): string;
  number(x: number | string): string;
  duration(minutes: number): string;
  list(items: readonly string[]): string;
  serviceName(id: string): string;
}

/** Words for a line description: the kit, plus the offering and component names in the statement's locale. */
export interface LineWords {
  t(key: string, params?: Readonly<Record<string, string | number>>): string;
  readonly offering: string;
  /** The component version's description, else its id; `named`: it was a description. */
  readonly label: string;
  readonly named: boolean;
  serviceName(id: string): string;
}

/** Plain words for `tierbook diff` (English, currency code first: "USD 250.00"). */
export interface DiffKit {
  money(d: Dec | undefined): string;
  minutes(m: number): string;
  list(xs: readonly string[] | null | undefined, none?: string): string;
  tiers(ts: readonly Tier[]): string;
}

/**
 * One pricing model. C: its compiled component; F: its plan-file component
 * (as validated by `schema`); X: the facts of its lines.
 */
export interface ModelDef<C = unknown, F = unknown, X = unknown> {
  /** Its fees recur monthly: service credits (§4.4) are taken from them. */
  readonly recurring: boolean;
  /** It prices the period's cloud spend: the statement hands it the spend (one subscription, one version). */
  readonly needsSpend: boolean;
  /** Plan-file schema of one component (run by `npm run schema` only, through the kit's TypeBox). */
  schema(k: SchemaKit): TSchema;
  /** The model's own fields of a validated component, checked (errors on k.ctx), or null when invalid. */
  compile(file: F, k: CompileKit): Record<string, unknown> | null;
  /** Exact lines of one version for one subscription (none when nothing is charged). */
  lines(ctx: ModelContext<C>): ModelLine<X>[];
  /** A line description from its facts, in the words of the statement's locale. */
  describe(facts: X, w: LineWords): string;
  /** Clauses of the terms' price sentence (joined by the catalog's price.join). */
  terms(c: C, w: WordsKit): string[];
  /** Tier table of the terms, when the model has tiers. */
  tiers?(c: C): readonly Tier[];
  /** Fields that carry meaning, as words, for `tierbook diff` (key order is output order). */
  diffFields(c: C, d: DiffKit): Record<string, string>;
  /** Accepted requests of this category are billable by default while the component is in force (§3.2). */
  billsRequests?(c: C, category: Category): boolean;
  /** It bills worked time: the increment a worklog is rounded up to (provider costs are rounded as billed, margin.ts). */
  workIncrement?(c: C): number;
  /**
   * It can be drawn by a block (§10): the unit it draws in, and its chargeable
   * usage of ctx after its allowance (consumes ctx.allowance), in time order.
   */
  readonly draws?: 'minutes' | 'incidents';
  meter?(ctx: ModelContext<C>): Metered[];
  /** Checks that need the offering's other components (e.g. what a block draws), after every component compiled. */
  checkOffering?(own: readonly { readonly component: C; readonly segs: readonly Seg[] }[], all: readonly OfferingComponentRef[], ctx: CompileCtx): void;
  /** Customer prices (§8.2): the fields of this model's override and how one applies to a version. Absent: no customer price. */
  readonly override?: ModelOverride<C>;
}

/**
 * A customer's own price for one component (§8.2), as stored and sent: money
 * as decimal strings, a rate as a percentage. Which fields a model takes is
 * its ModelDef's `override` (flat, per-unit, per-incident, hourly: amount;
 * percent-of-spend: rate, minimum, maximum; graduated, volume: tiers; block:
 * amount, overage).
 */
export interface PriceOverride {
  readonly amount?: string;
  readonly rate?: string;
  readonly minimum?: string;
  readonly maximum?: string;
  readonly tiers?: readonly { readonly upTo: number | null; readonly amount: string; readonly flat?: string }[];
  readonly overage?: string;
}

/** How a model takes a customer price (§8.2). */
export interface ModelOverride<C> {
  /** The fields an override must give, then those it may give (messages name them in this order). */
  readonly required: readonly (keyof PriceOverride)[];
  readonly optional: readonly (keyof PriceOverride)[];
  /**
   * The fields of one version that the override changes (merged over the
   * version by the caller, as compile's fields are), checked by the plan's own
   * rules (decimals, ascending tiers, minimum ≤ maximum; errors on k.ctx at
   * k.segs + field), or null when invalid. Fields the override leaves out keep
   * the plan's value.
   */
  apply(c: C, o: PriceOverride, k: CompileKit): Record<string, unknown> | null;
}

/** A compiled component of the offering as checkOffering sees it. */
export interface OfferingComponentRef {
  readonly id: string;
  readonly model: string;
  readonly segs: readonly Seg[];
}

/** A note on how a statement was priced, as facts (worded in render, in the statement's locale). */
export type PricingWarning =
  | {
      readonly code: 'SPEND_BASIS_MISSING';
      /** The component it concerns, and the services whose spend lacked a retail value. */
      readonly component: string;
      readonly services: readonly string[];
    }
  /** The period's last local day has not ended at the instant the draft was priced for (§9.4). */
  | { readonly code: 'PERIOD_NOT_ENDED'; readonly period: string }
  /** A percent-of-spend component of an active subscription, and no spend of its services for the period (§9.4). */
  | { readonly code: 'SPEND_MISSING'; readonly offering: string; readonly component: string; readonly services: readonly string[] }
  /**
   * A subscription's customer price (§8.2) names a component its offering no
   * longer has, or (`model`) one whose pricing model it no longer fits: that
   * component is priced from the plan.
   */
  | { readonly code: 'PRICE_OVERRIDE_UNKNOWN'; readonly offering: string; readonly component: string; readonly subscription?: string; readonly model?: string }
  /** A prepaid block used at or beyond its alert level: used ≥ alertAt × (opening + granted), in minutes or incidents (§10). */
  | { readonly code: 'BLOCK_LOW'; readonly subscription: string; readonly component: string; readonly unit: 'minutes' | 'incidents'; readonly used: number; readonly available: number; readonly alertAt: string };

/** A note on a statement document: a stable code and its message in the statement's locale. */
export interface StatementWarning {
  readonly code: PricingWarning['code'];
  readonly message: string;
}

/** The statement lines that belong to no model: minimum, discount, credit (§4.2–§4.4), adjustment and correction (§9.1, §9.6). */
export type AdjustmentFacts =
  | { readonly line: 'adjustment'; readonly description: string }
  | { readonly line: 'correction'; readonly corrects: string; readonly period: string; readonly description?: string }
  | { readonly line: 'minimum'; readonly minimum: string; readonly days: number; readonly of: number; readonly prorated: string; readonly charges: string }
  | { readonly line: 'discount'; readonly rate: string; readonly base: string }
  | {
      readonly line: 'service-credit';
      readonly breaches: number;
      /** When credits count resolution targets too: the missed targets of each kind (breaches = response + resolution). */
      readonly response?: number;
      readonly resolution?: number;
      readonly perBreach: string;
      readonly cap: string;
      readonly rate: string;
      readonly base: string;
      /** The subscription's discount (§9.3): the credit is on the base after it. */
      readonly discount?: string;
    };

export type { Percent };
