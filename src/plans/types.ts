// The compiled, immutable Plan: the one value the rules engine, the billing
// engine, the renderer and the API consume. Everything here is resolved and
// exact: ids point at objects, durations are minutes, money is a decimal with
// a bigint mantissa, calendars are ready to answer questions.
import type { Calendar } from '../calendar/types.js';
import type { ServiceMatch } from './service-match.js';
import type { PricingComponent } from '../models/index.js';
import type { Dec, Percent, Rounding } from '../decimal.js';
import type { LocaleText } from '../models/types.js';
// exact numbers are the shared decimal module's; display text and tiers are the models' (src/models sits below plans)
export type { Dec, Percent, Rounding } from '../decimal.js';
export type { LocaleText, Tier } from '../models/types.js';
import type { Category } from '../wire/patterns.js';
export { CATEGORIES, type Category } from '../wire/patterns.js';
/** Compiled vehicles: the deprecated `signature-cloud` is read as partner-cloud-support (§12.4). */
export type TechnicalVehicle = 'premier-support' | 'advanced-support' | 'partner-cloud-support' | 'unified-support';
export type Escalation = 'commercial' | TechnicalVehicle;
export type ChannelType = 'phone' | 'email' | 'portal' | 'chat' | 'teams' | 'other';
export type Relationship = 'outsourced' | 'resold';
/** Request statuses during which an SLA clock may be paused (`pauseOn`). */
export const PAUSE_STATUSES = ['waiting-customer', 'waiting-microsoft', 'waiting-provider'] as const;
export type PauseStatus = (typeof PAUSE_STATUSES)[number];

/** Where something came from in a plan file (1-based line and column). */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string; // e.g. offerings.standard.pricing[1].amount
}

export interface Contact {
  readonly email?: string;
  readonly phone?: string;
  readonly url?: string;
}

export interface Partner {
  readonly id: string;
  readonly name: LocaleText;
  readonly currency: string; // ISO 4217
  readonly exponent: number; // minor units of currency (USD 2, JPY 0, KWD 3)
  readonly timezone: string; // IANA
  readonly locale: string; // en-US | zh-CN
  readonly rounding: Rounding;
  /** Prices include tax (§9.2): total = subtotal, tax is the part contained. */
  readonly taxInclusive?: boolean;
  readonly microsoft: { readonly commercial: boolean; readonly technical: readonly TechnicalVehicle[] };
  readonly contact?: Contact;
  /** Invoicing terms: days to the due date (default 30) and the partner's tax id when known. */
  readonly billing?: { readonly paymentTerms: number; readonly taxId?: string; /** days a quote is valid from its date (default 30) */ readonly quoteValidDays?: number };
}

export interface Service {
  readonly id: string;
  readonly name: LocaleText;
  /** Partner Center matchers (§12.1); absent: the service takes no Partner Center lines. */
  readonly match?: ServiceMatch;
}

// ---- provider costs (§4.9)
export type CostComponent =
  | { readonly model: 'flat'; readonly amount: Dec }
  | { readonly model: 'per-incident'; readonly amount: Dec }
  | { readonly model: 'hourly'; readonly amount: Dec }
  | { readonly model: 'percent-of-price'; readonly rate: Percent };

export interface Provider {
  readonly id: string;
  readonly name: LocaleText;
  readonly relationship: Relationship;
  readonly costs: readonly CostComponent[];
  readonly contact?: Contact;
}

export interface Channel {
  readonly id: string;
  readonly type: ChannelType;
  readonly address: string;
  readonly calendar: Calendar;
  readonly description?: LocaleText;
}

export interface Severity {
  readonly label: string;
  readonly name?: LocaleText;
  readonly responseMinutes: number;
  readonly response: string; // duration as written/normalized, e.g. "4h", "1h30m"
  readonly resolutionMinutes?: number;
  readonly resolution?: string;
  /** The severity's own calendar, else the offering's. */
  readonly calendar: Calendar;
  /** Statuses that pause its clocks: the severity's own list, else the offering's (absent: never paused). */
  readonly pauseOn?: readonly PauseStatus[];
}

// ---- pricing components (§4.1): each model's component type lives in its
// module under src/models; the union comes from the registry.
export type { PricingComponent };
export type PricingModel = PricingComponent['model'];

export interface Offering {
  readonly id: string;
  readonly index: number; // position in the plan's offerings (order for §3.1 matching)
  readonly name: LocaleText;
  readonly summary?: LocaleText;
  /** 'partner' or a provider id. */
  readonly delivery: string;
  readonly provider: Provider | null; // resolved delivery provider
  readonly services: readonly string[];
  readonly categories: readonly Category[];
  readonly channels: readonly string[];
  readonly calendar: Calendar;
  readonly severities: ReadonlyMap<string, Severity>; // in file order
  readonly pricing: readonly PricingComponent[]; // in file order, all versions
  readonly minimum?: Dec;
  /** `on`: the clocks whose breaches earn credits (§11.4); absent: ['response'] (the compiler always sets it). */
  readonly serviceCredits?: { readonly perBreach: Percent; readonly cap: Percent; readonly on?: readonly ('response' | 'resolution')[] };
  /** Statuses that pause the clocks of severities without their own `pauseOn` (absent: none). */
  readonly pauseOn?: readonly PauseStatus[];
  readonly includes: readonly LocaleText[];
  readonly excludes: readonly LocaleText[];
  readonly currency: string;
  readonly exponent: number;
}

// ---- rules (§3.3), kept as data; src/rules compiles them into functions
export type RuleField =
  | 'customer'
  | 'offering'
  | 'service'
  | 'category'
  | 'severity'
  | 'channel'
  | 'withinHours'
  | 'serviceIncident';
export type MatcherValue = string | boolean;
export interface Matcher {
  readonly negate: boolean;
  readonly values: readonly MatcherValue[]; // scalar -> one value; list -> any of
}
export interface RuleWhen {
  readonly fields: Readonly<Partial<Record<RuleField, Matcher>>>;
  readonly any?: readonly RuleWhen[];
}
export interface RuleThen {
  readonly reject?: string;
  readonly route?: string; // 'partner' | provider id
  readonly billable?: boolean;
  readonly response?: string; // duration text
  readonly responseMinutes?: number;
  readonly note?: string;
}
export interface Rule {
  readonly id: string;
  readonly description?: string;
  readonly when: RuleWhen;
  readonly then: RuleThen;
}

export interface Plan {
  readonly version: 1;
  readonly file: string; // path as given to the loader
  readonly hash: string; // 'sha256:' + hex of the file's bytes
  readonly partner: Partner;
  readonly services: ReadonlyMap<string, Service>;
  /** Display names of metrics (the singular of one unit per locale), when the plan gives them. */
  readonly metrics?: ReadonlyMap<string, LocaleText>;
  readonly providers: ReadonlyMap<string, Provider>;
  readonly calendars: ReadonlyMap<string, Calendar>; // includes the built-in '24x7'
  readonly channels: ReadonlyMap<string, Channel>;
  readonly offerings: ReadonlyMap<string, Offering>; // in file order
  readonly rules: readonly Rule[];
}

/** One finding of `tierbook check` (§2.2). */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface LoadResult {
  readonly plan: Plan | null; // null when any error was found
  readonly findings: readonly Finding[];
}
