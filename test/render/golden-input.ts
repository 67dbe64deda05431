// The documents the golden and wording tests render: the SPEC's example plan
// (test/render/plans/contoso.yaml, through the project's loader) and a month
// of one customer priced from a quote document, so every input is in this
// folder and the outputs change only when the renderer does.
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { parseQuote, quoteStatement } from '../../src/billing/quote.js';
import type { BilledStatement } from '../../src/billing/types.js';
import { ROOT } from './helpers.js';

export const PLAN_FILE = 'test/render/plans/contoso.yaml';

export function goldenPlan(text = readFileSync(ROOT + PLAN_FILE, 'utf8')): Plan {
  const r = loadPlan(text, PLAN_FILE);
  if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.plan;
}

/** October 2026 of northwind: two subscriptions, four requests, two worklogs, Azure spend (docs/examples/quote-standard.json's month). */
export const QUOTE = {
  partner: 'contoso',
  period: '2026-10',
  customer: { id: 'northwind', name: 'Northwind Traders', taxRate: '8.25%' },
  subscriptions: [
    { id: 's1', offering: 'standard', start: '2026-10-10', discount: '10%', quantities: [{ metric: 'seats', value: 10, from: '2026-10-10' }] },
    { id: 's2', offering: 'essential', start: '2026-01-01' },
  ],
  requests: [
    { id: 'r1', offering: 'standard', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00', respondedAt: '2026-10-14T11:00:00-04:00' },
    { id: 'r2', offering: 'standard', service: 'm365', category: 'technical', severity: 'C', channel: 'email', receivedAt: '2026-10-20T09:00:00-04:00' },
    { id: 'r3', offering: 'essential', service: 'm365', category: 'technical', severity: 'B', channel: 'email', receivedAt: '2026-10-21T09:00:00-04:00', respondedAt: '2026-10-21T10:00:00-04:00' },
    { id: 'r4', offering: 'essential', service: 'm365', category: 'technical', severity: 'C', channel: 'portal', receivedAt: '2026-10-22T09:00:00-04:00', respondedAt: '2026-10-22T10:00:00-04:00' },
  ],
  worklogs: [
    { request: 'r1', start: '2026-10-14T10:05:00-04:00', minutes: 100 },
    { request: 'r2', start: '2026-10-20T19:00:00-04:00', minutes: 50 },
  ],
  spend: [{ service: 'azure', amount: '1830.25' }],
} as const;

/** The month priced (lines as facts), for the plan given. */
export function goldenStatement(plan: Plan, quote: unknown = QUOTE): BilledStatement {
  const q = parseQuote(JSON.parse(JSON.stringify(quote)));
  if (!q.ok) throw new Error(JSON.stringify(q.errors));
  return quoteStatement(q.value, plan);
}

/** A quote with no requests and no worklogs: what a prospective customer is sent. */
export const PROSPECT = {
  partner: 'contoso',
  period: '2026-12',
  customer: { id: 'fabrikam-retail', name: 'Fabrikam Retail' },
  subscriptions: [{ id: 'p1', offering: 'standard', start: '2026-12-01', quantities: [{ metric: 'seats', value: 25, from: '2026-12-01' }] }],
} as const;

/** The customer the documents are prepared for. */
export const CUSTOMER = { id: 'northwind', name: 'Northwind Traders' } as const;
export const QUOTE_DATE = '2026-11-02';
export const TERMS_AT = '2026-11-20';
