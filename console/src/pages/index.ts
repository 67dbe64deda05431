// Every page of the console, in navigation order. A page module exports its
// Page under any name (the one value with an id and a render function).
import type { Page } from './types.js';
import * as plan from './plan.js';
import * as quote from './quote.js';
import * as customers from './customers.js';
import * as monthEnd from './month-end.js';
import * as triage from './triage.js';
import * as margin from './margin.js';

function pageOf(mod: Record<string, unknown>, id: string): Page {
  const found = Object.values(mod).find((v): v is Page => typeof v === 'object' && v !== null && (v as Page).id === id && typeof (v as Page).render === 'function');
  if (!found) throw new Error(`console/src/pages: no page "${id}" is exported`);
  return found;
}

export const pages: Page[] = [
  pageOf(plan, 'plan'),
  pageOf(quote, 'quote'),
  pageOf(customers, 'customers'),
  pageOf(monthEnd, 'month-end'),
  pageOf(triage, 'triage'),
  pageOf(margin, 'margin'),
];
