// A small plan for the SLA clock tests (New York; November 2026, after DST ended on 1 November):
// office 09:00-17:00 Monday to Friday, Thanksgiving (Thursday 26 November) closed, Friday 27 a
// half day 09:00-13:00, Saturday 28 a make-up working day 09:00-17:00.
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';

export const SLA_PLAN_YAML = `version: 1
partner: { id: acme, name: Acme, currency: USD, timezone: America/New_York }
services: { m365: Microsoft 365 }
calendars:
  office:
    hours: { mon-fri: ["09:00-17:00"] }
    holidays: [2026-11-26]
    overrides:
      2026-11-27: ["09:00-13:00"]
      2026-11-28: ["09:00-17:00"]
channels:
  email: { type: email, address: support@acme.example }
offerings:
  std:
    name: Standard
    services: [m365]
    categories: [billing]
    channels: [email]
    calendar: office
    pauseOn: [waiting-customer]
    severities:
      A: { name: Critical, response: 1h, resolution: 8h, calendar: 24x7, pauseOn: [] }
      B: { name: High, response: 4h, resolution: 16h }
      C: { name: Normal, response: 8h, resolution: 40h, pauseOn: [waiting-customer, waiting-microsoft] }
      D: { name: Low, response: 16h }
    pricing: []
`;

export function slaPlan(yaml = SLA_PLAN_YAML): Plan {
  const r = loadPlan(yaml, 'plans/acme.yaml');
  if (!r.plan) throw new Error(r.findings.map((f) => `${f.path}: ${f.message}`).join('\n'));
  return r.plan;
}
