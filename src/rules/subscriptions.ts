// §3.1 subscription matching, once for everyone: a subscription holds its
// offering on every local date from its start to its end (inclusive; no end:
// still held). The API decides arriving requests with activeOfferings; the
// billing core finds the subscription that bills a request or worklog with
// heldOn. Dates are 'YYYY-MM-DD' strings, which compare as dates.
import type { Plan } from '../plans/types.js';

/** What matching reads of a subscription. */
export interface Holding {
  readonly offering: string;
  readonly start: string;
  readonly end?: string | null;
}

/** Whether the subscription holds its offering on `date` (the partner's local date). */
export function heldOn(s: Holding, date: string): boolean {
  return s.start <= date && (s.end === null || s.end === undefined || date <= s.end);
}

/** Offerings the customer holds on `date`, in the plan's order of offerings. */
export function activeOfferings(plan: Plan, subs: readonly Holding[], date: string): string[] {
  // plain loops: this runs on every evaluate, and sets or spread arrays would be allocated each time
  const out: string[] = [];
  for (const id of plan.offerings.keys()) {
    for (const s of subs) {
      if (s.offering === id && heldOn(s, date)) {
        out.push(id);
        break;
      }
    }
  }
  return out;
}
