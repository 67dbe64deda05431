// The plan of the customer-price tests: a price change on 2026-10-16 (base
// 250.00 -> 300.00) and a component introduced on 2026-10-10.
export const PRICES_PLAN = `version: 1
partner: { id: contoso, name: Contoso, currency: USD, timezone: America/New_York, locale: en-US }
services: { azure: Microsoft Azure, m365: Microsoft 365 }
calendars:
  office: { hours: { mon-fri: ["08:00-18:00"] } }
channels:
  email: { type: email, address: support@contoso.example, calendar: 24x7 }
offerings:
  standard:
    name: { en-US: Standard, zh-CN: 标准支持 }
    delivery: partner
    services: [m365, azure]
    categories: [billing, technical]
    channels: [email]
    calendar: office
    severities: { B: { response: 4h } }
    pricing:
      - { id: base, model: flat, amount: 250.00, to: 2026-10-15 }
      - { id: base, model: flat, amount: 300.00, from: 2026-10-16 }
      - { id: onboarding, model: flat, amount: 50.00, from: 2026-10-10 }
      - { id: seats, model: per-unit, metric: seats, amount: 4.00 }
      - { id: azure, model: percent-of-spend, rate: "8%", services: [azure], minimum: 100.00, maximum: 5000.00 }
`;
