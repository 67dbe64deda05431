// Hand-built compiled plans for unit tests, independent of the YAML loader:
// the billing engine consumes the compiled Plan, so this is its real input.
import { alwaysOpenCalendar, compileCalendar } from '../../src/calendar/compile.js';
import type { Calendar } from '../../src/calendar/types.js';
import type { Dec, Offering, Percent, Plan, PricingComponent, Provider, Rounding, Tier } from '../../src/plans/types.js';
import type { Decision } from '../../src/rules/types.js';

export function dec(text: string): Dec {
  const [i, f = ''] = text.split('.');
  return { text, units: BigInt(i + f), scale: f.length };
}

export function pct(text: string): Percent {
  const [i, f = ''] = text.replace('%', '').split('.');
  return { text, num: BigInt(i + f), den: 100n * 10n ** BigInt(f.length) };
}

export function tier(upTo: number | null, amount: string, flat?: string): Tier {
  return { upTo, amount: dec(amount), ...(flat ? { flat: dec(flat) } : {}) };
}

/** Mon–Fri 08:00–18:00 in the zone. */
export function office(zone: string): Calendar {
  const w = [{ start: 8 * 60, end: 18 * 60 }];
  return compileCalendar({ id: 'office', timezone: zone, weekly: [w, w, w, w, w, [], []], holidays: [], alwaysOpen: false });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type ComponentSpec = DistributiveOmit<PricingComponent, 'order'> & { order?: number };

export interface OfferingSpec {
  id: string;
  name?: string;
  delivery?: string;
  pricing: ComponentSpec[];
  minimum?: string;
  serviceCredits?: { perBreach: string; cap: string };
  calendar?: Calendar;
}

export interface PlanSpec {
  id?: string;
  currency?: string;
  exponent?: number;
  timezone?: string;
  rounding?: Rounding;
  locale?: string;
  offerings: OfferingSpec[];
  providers?: Provider[];
}

export function makePlan(spec: PlanSpec): Plan {
  const zone = spec.timezone ?? 'America/New_York';
  const currency = spec.currency ?? 'USD';
  const exponent = spec.exponent ?? 2;
  const providers = new Map((spec.providers ?? []).map((p) => [p.id, p]));
  const offerings = new Map<string, Offering>();
  spec.offerings.forEach((o, index) => {
    const firstIndex = new Map<string, number>();
    o.pricing.forEach((c, i) => {
      if (!firstIndex.has(c.id)) firstIndex.set(c.id, i);
    });
    offerings.set(o.id, {
      id: o.id,
      index,
      name: { 'en-US': o.name ?? o.id },
      delivery: o.delivery ?? 'partner',
      provider: o.delivery ? (providers.get(o.delivery) ?? null) : null,
      services: ['azure', 'm365'],
      categories: ['billing', 'subscription', 'technical'],
      channels: ['email'],
      calendar: o.calendar ?? office(zone),
      severities: new Map(),
      pricing: o.pricing.map((c) => ({ ...c, order: c.order ?? (firstIndex.get(c.id) as number) }) as PricingComponent),
      ...(o.minimum ? { minimum: dec(o.minimum) } : {}),
      ...(o.serviceCredits ? { serviceCredits: { perBreach: pct(o.serviceCredits.perBreach), cap: pct(o.serviceCredits.cap) } } : {}),
      includes: [],
      excludes: [],
      currency,
      exponent,
    });
  });
  return {
    version: 1,
    file: 'test.yaml',
    hash: 'sha256:test',
    partner: {
      id: spec.id ?? 'acme',
      name: { 'en-US': 'Acme' },
      currency,
      exponent,
      timezone: zone,
      locale: spec.locale ?? 'en-US',
      rounding: spec.rounding ?? 'half-up',
      microsoft: { commercial: true, technical: [] },
    },
    services: new Map([
      ['azure', { id: 'azure', name: { 'en-US': 'Microsoft Azure' } }],
      ['m365', { id: 'm365', name: { 'en-US': 'Microsoft 365' } }],
    ]),
    providers,
    calendars: new Map([['24x7', alwaysOpenCalendar(zone)]]),
    channels: new Map(),
    offerings,
    rules: [],
  };
}

/** A stored decision (what the API keeps), so unit tests do not need the rules engine. */
export function decision(offering: string, opts: Partial<Decision> = {}): Decision {
  return {
    accepted: true,
    reasons: [],
    offering,
    handledBy: 'partner',
    escalation: null,
    withinHours: true,
    responseTarget: '4h',
    responseDueAt: null,
    billable: true,
    rules: [],
    notes: [],
    ...opts,
  };
}

export const noUsage = { requests: [], worklogs: [], spend: [] } as const;
