// The plan as GET /plan answers it (the fields the console reads), shared by the plan, quote and triage pages.
import type { Api } from '../lib/api.js';

export type LocaleText = Record<string, string>;
export interface Window {
  start: number;
  end: number;
}
export interface Calendar {
  id: string;
  timezone: string;
  weekly: Window[][];
  holidays: string[];
  overrides?: Record<string, Window[]>;
  alwaysOpen: boolean;
}
export interface Severity {
  label: string;
  name: LocaleText;
  response?: string;
  resolution?: string;
  calendar: Calendar;
}
export interface Component {
  id: string;
  model: string;
  metric?: string;
  services?: string[];
  categories?: string[];
  from?: string;
  to?: string;
  amount?: string;
  rate?: string;
}
export interface Offering {
  id: string;
  name: LocaleText;
  summary?: LocaleText;
  /** "partner", or the provider's id. */
  delivery: string;
  provider: { id: string; name: LocaleText; relationship: string } | null;
  services: string[];
  categories: string[];
  channels: string[];
  calendar: Calendar;
  severities: Record<string, Severity>;
  pricing: Component[];
}
export interface Channel {
  id: string;
  type: string;
  address?: string;
  calendar: Calendar;
}
export interface PlanJson {
  planHash: string;
  plan: {
    partner: { id: string; name: LocaleText; currency: string; timezone: string; locale: string };
    services: Record<string, { id: string; name: LocaleText }>;
    providers?: Record<string, { id: string; name: LocaleText }>;
    channels: Record<string, Channel>;
    offerings: Record<string, Offering>;
  };
}

const cache = new WeakMap<Api, Promise<PlanJson>>();
/** GET ./plan, once per signed-in session (a failed read is asked again next time). */
export function loadPlan(api: Api): Promise<PlanJson> {
  let p = cache.get(api);
  if (!p) {
    p = api.get<PlanJson>('./plan');
    cache.set(api, p);
    p.catch(() => cache.delete(api));
  }
  return p;
}

/** The metrics of an offering's priced components (seats, users), in plan order. */
export const metricsOf = (o: Offering): string[] => [...new Set(o.pricing.flatMap((c) => (c.metric ? [c.metric] : [])))];
