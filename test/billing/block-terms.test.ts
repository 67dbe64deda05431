// The words of a block (§10) in the terms, both locales, and its diff fields.
import t from 'tap';
import { priceWords } from '../../src/render/terms.js';
import { Formatter } from '../../src/render/format.js';
import { pricingModel } from '../../src/models/index.js';
import { dec, makePlan, pct } from './fixtures.js';

const plan = makePlan({
  offerings: [
    {
      id: 'managed',
      pricing: [
        { id: 'labour', model: 'hourly', amount: dec('120.00'), includedMinutes: 60, incrementMinutes: 15, minimumMinutes: 30, afterHoursMultiplier: dec('1.5') },
        { id: 'prepaid', model: 'block', unit: 'hours', size: 600, amount: dec('1100.00'), renew: 'monthly', rollover: { periods: 2, max: 300 }, overage: dec('150.00'), draws: ['labour'], alertAt: pct('80%') },
        { id: 'pack', model: 'block', unit: 'incidents', size: 5, amount: dec('400.00'), renew: 'purchase', rollover: null, overage: null, draws: ['labour'], alertAt: null },
      ],
    },
  ],
});
const o = plan.offerings.get('managed')!;
const [labour, prepaid, pack] = o.pricing;

t.test('en-US', async (t) => {
  const f = new Formatter('en-US');
  t.equal(priceWords(f, plan, o, prepaid), '10 hours prepaid each month for USD\u00a01,100.00; the unused balance carries over for 2 months, at most 5 hours; beyond them USD\u00a0150.00 per hour.');
  t.equal(priceWords(f, plan, o, pack), 'blocks of 5 incidents prepaid for USD\u00a0400.00 each, when bought; the unused balance expires at the end of each month; beyond them at the usual rate.');
  t.match(priceWords(f, plan, o, labour), /each piece of work is billed for at least 30 min/);
});

t.test('zh-CN', async (t) => {
  const f = new Formatter('zh-CN');
  t.equal(priceWords(f, plan, o, prepaid), '每月预付10小时，价格USD\u00a01,100.00；未用余额可结转 2 个月，最多5小时；超出部分每小时USD\u00a0150.00。');
});

t.test('diff fields', async (t) => {
  const d = { money: (x?: { text: string }) => `USD ${x?.text}`, minutes: (m: number) => `${m / 60}h`, list: (xs?: readonly string[] | null) => (xs ?? []).join(', '), tiers: () => '' };
  t.same(pricingModel('block').diffFields(prepaid, d as never), {
    unit: 'hours',
    size: '10h',
    amount: 'USD 1100.00 per block',
    renew: 'monthly',
    rollover: '2 periods, at most 5h',
    overage: 'USD 150.00 per hour',
    draws: 'labour',
    alertAt: '80%',
  });
});
