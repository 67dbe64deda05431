// The plan of the prepaid-block shell tests (purchases, balances, documents,
// margin): one monthly block with rollover and overage, one block bought by
// purchase delivered by a provider, and an offering without a block.
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';

export const BLOCKS_YAML = `
version: 1
partner:
  id: contoso
  name: Contoso
  currency: USD
  timezone: America/New_York
  locale: en-US
services:
  m365: Microsoft 365
providers:
  fabrikam:
    name: Fabrikam
    relationship: outsourced
    costs:
      - { model: hourly, amount: 55.00 }
      - { model: flat, amount: 100.00 }
calendars:
  office:
    hours:
      mon-fri: ["08:00-18:00"]
channels:
  email: { type: email, address: support@contoso.example, calendar: 24x7 }
offerings:
  monthly:
    name: { en-US: Prepaid Monthly, zh-CN: 包月预付 }
    delivery: partner
    services: [m365]
    categories: [technical]
    channels: [email]
    calendar: office
    severities:
      B: { name: High, response: 4h }
    pricing:
      - { id: prepaid, model: block, unit: hours, size: 10h, amount: 1100.00, renew: monthly, rollover: { periods: 2, max: 5h }, overage: 150.00, draws: [labour], alertAt: "80%" }
      - { id: labour, model: hourly, amount: 120.00, included: 1h, increment: 15m, afterHoursMultiplier: 1.5 }
  topup:
    name: Top-up Hours
    delivery: fabrikam
    services: [m365]
    categories: [technical]
    channels: [email]
    calendar: office
    severities:
      B: { name: High, response: 4h }
    pricing:
      - { id: hours, model: block, unit: hours, size: 5h, amount: 450.00, renew: purchase, draws: [labour] }
      - { id: labour, model: hourly, amount: 100.00, increment: 15m }
  tickets:
    name: { en-US: Ticket Pack, zh-CN: 工单包 }
    delivery: partner
    services: [m365]
    categories: [technical]
    channels: [email]
    severities:
      B: { name: High, response: 4h }
    pricing:
      - { id: pack, model: block, unit: incidents, size: 5, amount: 400.00, renew: monthly, draws: [incidents], description: { en-US: Ticket pack, zh-CN: 工单包 } }
      - { id: incidents, model: per-incident, amount: 95.00 }
  plain:
    name: Plain
    delivery: partner
    services: [m365]
    categories: [technical]
    channels: [email]
    calendar: office
    severities:
      B: { name: High, response: 4h }
    pricing:
      - { id: base, model: flat, amount: 50.00 }
`;

export function blocksPlan(): Plan {
  const r = loadPlan(BLOCKS_YAML, 'blocks.yaml');
  if (!r.plan) throw new Error(`blocks plan does not load: ${r.findings.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
  return r.plan;
}
