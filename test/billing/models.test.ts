// The pricing-model registry (docs/pricing-models.md): the generated plan
// schema, the catalogs and the line describer agree with it, and every model's
// lines are worded in both locales from their facts.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { MODELS, MODEL_NAMES } from '../../src/models/index.js';
import { priceStatement } from '../../src/billing/statement.js';
import { catalogs, SUPPORTED_LOCALES } from '../../src/render/i18n.js';
import { describeStatement } from '../../src/render/lines.js';
import { dec, decision, makePlan, pct, tier } from './fixtures.js';

t.test('the generated plan schema lists the registry models, in its order', async (t) => {
  const schema = JSON.parse(readFileSync('schema/plan.schema.json', 'utf8'));
  const pricing = schema.properties.offerings.patternProperties['^[a-z0-9][a-z0-9-]{0,62}$'].properties.pricing.items;
  t.same(
    pricing.oneOf.map((m: { properties: { model: { const: string } } }) => m.properties.model.const),
    Object.keys(MODELS),
  );
});

t.test('every model has its item name in every catalog', async (t) => {
  for (const locale of SUPPORTED_LOCALES)
    for (const m of MODEL_NAMES) t.ok((catalogs[locale] as Readonly<Record<string, string>>)[`component.${m}`], `${locale} component.${m}`);
});

const plan = makePlan({
  offerings: [
    {
      id: 'std',
      name: 'Std',
      minimum: '2000.00',
      serviceCredits: { perBreach: '5%', cap: '20%' },
      pricing: [
        { id: 'base', model: 'flat', amount: dec('310.00') },
        { id: 'seats', model: 'per-unit', metric: 'seats', amount: dec('4.00') },
        { id: 'users', model: 'graduated', metric: 'users', tiers: [tier(10, '10.00'), tier(null, '8.00', '5.00')] },
        { id: 'vol', model: 'volume', metric: 'users', tiers: [tier(10, '10.00'), tier(null, '8.00')] },
        { id: 'incidents', model: 'per-incident', amount: dec('95.00'), included: 1, categories: null },
        { id: 'labour', model: 'hourly', amount: dec('120.00'), includedMinutes: 0, incrementMinutes: 15, afterHoursMultiplier: dec('1') },
        { id: 'cloud', model: 'percent-of-spend', rate: pct('10%'), services: null },
      ],
    },
  ],
});
const st = priceStatement({
  plan,
  period: '2026-10',
  customer: { id: 'c' },
  subscriptions: [{ offering: 'std', start: '2026-10-01', discount: '10%', quantities: [{ metric: 'seats', value: 2, from: '2026-10-01' }, { metric: 'users', value: 12, from: '2026-10-01' }] }],
  // answered late: one breach of its response target
  requests: [{ id: 'r1', offering: 'std', service: 'azure', category: 'technical', severity: 'A', channel: 'email', receivedAt: '2026-10-05T10:00:00-04:00', respondedAt: '2026-10-05T12:00:00-04:00', decision: decision('std', { responseDueAt: '2026-10-05T11:00:00-04:00' }) }],
  worklogs: [{ request: 'r1', start: '2026-10-05T10:30:00-04:00', minutes: 30 }],
  spend: [{ service: 'azure', amount: '1000.00' }],
});

t.test('billing lines carry facts, no words', async (t) => {
  t.same(
    st.lines.map((l) => l.component),
    ['base', 'seats', 'users', 'vol', 'incidents', 'labour', 'cloud', 'minimum', 'discount', 'service-credit'],
  );
  for (const l of st.lines) t.notOk('description' in l, l.component);
  t.same(st.lines[0].facts, { days: 31, of: 31 });
  t.same(st.lines[2].facts, { metric: 'users', quantity: 12, parts: [{ units: 10, price: '10.00' }, { units: 2, price: '8.00' }, { flat: '5.00' }], days: 31, of: 31 });
});

t.test('every line is worded in en-US and zh-CN from its facts', async (t) => {
  const en = describeStatement(st, plan).lines.map((l) => l.description);
  t.same(en, [
    'Std: base fee, 31 of 31 days',
    'Std: seats, 2 seats × 4.00, 31 of 31 days',
    'Std: users, 12 users (10 × 10.00 + 2 × 8.00 + 5.00), 31 of 31 days',
    'Std: vol, 12 users (12 × 8.00), 31 of 31 days',
    'Std: incidents, 1 incident, 1 included, 0 × 95.00',
    'Std: labour, business hours, 0.5 h worked, 0.5 h billed',
    'Std: cloud, 10% of 1000.00 cloud spend',
    'Std: minimum commitment 2000.00, charges 695.00',
    'Std: discount 10% of 2000.00',
    'Std: service credit, 1 missed response target × 5% (cap 20%) = 5% of 535.00 less the 10% discount',
  ]);
  const zh = describeStatement(st, plan, { customerLocale: 'zh-Hans' }).lines.map((l) => l.description);
  t.same(zh, [
    'Std：base 费用，31 天中的 31 天',
    'Std：seats，2 seats × 4.00，31 天中的 31 天',
    'Std：users，12 users（10 × 10.00 + 2 × 8.00 + 5.00），31 天中的 31 天',
    'Std：vol，12 users（12 × 8.00），31 天中的 31 天',
    'Std：incidents，1 次事件，含 1 次，0 × 95.00',
    'Std：labour，工作时间，工作 0.5 小时，计费 0.5 小时',
    'Std：cloud，云 消费 1000.00 的 10%',
    'Std：最低承诺 2000.00，实际费用 695.00',
    'Std：折扣 10%，基数 2000.00',
    'Std：服务抵扣，1 次未达响应时限 × 5%（上限 20%）= 扣除 10% 折扣后的 535.00 的 5%',
  ]);
});

t.test('one locale resolution for every format: a zh customer reads Chinese lines in JSON, CSV and HTML', async (t) => {
  const { renderStatement } = await import('../../src/render/index.js');
  const opts = { plan, customer: { id: 'c', locale: 'zh' } } as const;
  const json = JSON.parse(renderStatement(st, { ...opts, format: 'json' }).body) as { lines: { description: string }[] };
  t.equal(json.lines[0].description, 'Std：base 费用，31 天中的 31 天');
  const csv = renderStatement(st, { ...opts, format: 'csv' }).body.split('\r\n');
  // the CSV's description is in the customer's words; the component's id is in its own column
  t.equal(csv[1].split(',')[4], 'Std：月费，31 天中的 31 天');
  t.equal(csv[1].split(',')[1], 'base');
  // the customer's document names the component (月费), the data its id
  t.ok(renderStatement(st, { ...opts, format: 'html' }).body.includes('Std：月费，31 天中的 31 天'), 'the HTML shows the Chinese description, by name');
  // an explicit document locale words a priced statement in that locale
  const en = JSON.parse(renderStatement(st, { ...opts, format: 'json', locale: 'en-US' }).body) as { lines: { description: string }[] };
  t.equal(en.lines[0].description, 'Std: base fee, 31 of 31 days');
});
