// Property tests (fast-check) of the billing engine against SPEC §4.
import t from 'tap';
import fc from 'fast-check';
import { priceStatement } from '../../src/billing/statement.js';
import type { BillingInput } from '../../src/billing/types.js';
import { dec, decision, makePlan } from './fixtures.js';

t.setTimeout(600_000);
const RUNS = 60;

const minor = (s: string, e: number): bigint => {
  const neg = s.startsWith('-');
  const [i, f = ''] = s.replace('-', '').split('.');
  const v = BigInt(i + f.padEnd(e, '0'));
  return neg ? -v : v;
};

const money = (e: number) => fc.bigInt({ min: 0n, max: 10n ** BigInt(5 + e) }).map((u) => ({ units: u, text: e ? `${u / 10n ** BigInt(e)}.${(u % 10n ** BigInt(e)).toString().padStart(e, '0')}` : String(u) }));
const day = fc.integer({ min: 1, max: 30 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`);

const scenario = fc.record({
  e: fc.constantFrom(0, 2, 3),
  rounding: fc.constantFrom('half-up' as const, 'half-even' as const),
  base: fc.integer({ min: 0, max: 2 }).chain((e) => money(e)),
  seat: money(2),
  start: day,
  end: fc.option(day, { nil: undefined }),
  quantities: fc.array(fc.record({ value: fc.integer({ min: 0, max: 50 }), from: day }), { maxLength: 4 }),
  discount: fc.option(fc.integer({ min: 1, max: 40 }).map((d) => `${d}%`), { nil: undefined }),
  tax: fc.option(fc.constantFrom('8.25%', '10%', '0%', '12.5%'), { nil: undefined }),
  work: fc.array(fc.record({ day: fc.integer({ min: 1, max: 30 }), hour: fc.integer({ min: 0, max: 23 }), minutes: fc.integer({ min: 1, max: 300 }) }), { maxLength: 5 }),
  incidents: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 4 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function build(s: Scenario, factor = 1n): BillingInput {
  const d = (u: bigint, scale: number) => dec(scale ? `${(u * factor) / 10n ** BigInt(scale)}.${((u * factor) % 10n ** BigInt(scale)).toString().padStart(scale, '0')}` : String(u * factor));
  const plan = makePlan({
    currency: s.e === 0 ? 'JPY' : s.e === 3 ? 'KWD' : 'USD',
    exponent: s.e,
    rounding: s.rounding,
    offerings: [
      {
        id: 'std',
        pricing: [
          { id: 'base', model: 'flat', amount: d(s.base.units, 2) },
          { id: 'seats', model: 'per-unit', metric: 'seats', amount: d(s.seat.units, 2) },
          { id: 'labour', model: 'hourly', amount: d(12000n, 2), includedMinutes: 60, incrementMinutes: 15, afterHoursMultiplier: dec('1.5') },
          { id: 'incidents', model: 'per-incident', amount: d(9500n, 2), included: 1, categories: null },
        ],
        minimum: '100.00',
      },
    ],
  });
  const [start, end] = s.end && s.end < s.start ? [s.end, s.start] : [s.start, s.end];
  const seen = new Set<string>();
  return {
    plan,
    period: '2026-11',
    customer: { id: 'c', ...(s.tax ? { taxRate: s.tax } : {}) },
    subscriptions: [{ id: 'a', offering: 'std', start, ...(end ? { end } : {}), ...(s.discount ? { discount: s.discount } : {}), quantities: s.quantities.filter((q) => !seen.has(q.from) && seen.add(q.from)).map((q) => ({ metric: 'seats', ...q })) }],
    requests: s.incidents.map((dd, i) => ({
      id: `r${i}`,
      offering: 'std',
      service: 'azure',
      category: 'technical',
      severity: 'B',
      channel: 'email',
      receivedAt: `2026-11-${String(dd).padStart(2, '0')}T12:00:00Z`,
      decision: decision('std'),
    })),
    worklogs: s.work.map((w, i) => ({ id: `w${i}`, offering: 'std', start: `2026-11-${String(w.day).padStart(2, '0')}T${String(w.hour).padStart(2, '0')}:00:00Z`, minutes: w.minutes })),
    spend: [],
  };
}

t.test('total = sum of rounded lines + tax; no line has more decimals than its currency', async (t) => {
  fc.assert(
    fc.property(scenario, (s) => {
      const st = priceStatement(build(s));
      const re = s.e === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${s.e}}$`);
      for (const l of st.lines) if (!re.test(l.amount)) return false;
      const sum = st.lines.reduce((a, l) => a + minor(l.amount, s.e), 0n);
      return sum === minor(st.subtotal, s.e) && sum + minor(st.tax, s.e) === minor(st.total, s.e) && re.test(st.tax) && re.test(st.total);
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

t.test('doubling every price doubles every line before rounding (within one minor unit after)', async (t) => {
  fc.assert(
    fc.property(scenario, (s) => {
      const one = priceStatement(build({ ...s, discount: undefined }));
      const two = priceStatement(build({ ...s, discount: undefined }, 2n));
      // the minimum (100.00) is not a price we double: compare component lines only
      const a = one.lines.filter((l) => l.component !== 'minimum');
      const b = two.lines.filter((l) => l.component !== 'minimum');
      if (a.length !== b.length) return false;
      return a.every((l, i) => {
        const d = minor(b[i].amount, s.e) - 2n * minor(l.amount, s.e);
        return d >= -1n && d <= 1n;
      });
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

t.test('the statement is the same whatever the order of the input records', async (t) => {
  fc.assert(
    fc.property(scenario, fc.integer(), (s, seed) => {
      const input = build(s);
      const shuffle = <T>(xs: readonly T[]): T[] => {
        const out = [...xs];
        let x = seed;
        for (let i = out.length - 1; i > 0; i--) {
          x = (x * 1103515245 + 12345) & 0x7fffffff;
          const j = x % (i + 1);
          [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
      };
      const shuffled: BillingInput = {
        ...input,
        subscriptions: input.subscriptions.map((x) => ({ ...x, quantities: shuffle(x.quantities ?? []) })),
        requests: shuffle(input.requests),
        worklogs: shuffle(input.worklogs),
      };
      return JSON.stringify(priceStatement(input)) === JSON.stringify(priceStatement(shuffled));
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

// ---- an independent reference: flat and per-unit lines in plain BigInt fractions
function refRound(num: bigint, den: bigint, mode: 'half-up' | 'half-even'): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den) return q + 1n;
  if (r2 < den) return q;
  return mode === 'half-up' || q % 2n === 1n ? q + 1n : q;
}

t.test('flat and per-unit lines agree with an independent BigInt reference', async (t) => {
  fc.assert(
    fc.property(scenario, (s) => {
      const input = build(s);
      const st = priceStatement(input);
      const sub = input.subscriptions[0];
      const from = Number(sub.start.slice(8));
      const to = sub.end ? Number(sub.end.slice(8)) : 30;
      const days = BigInt(to - from + 1);
      const pow = 10n ** BigInt(s.e);
      // flat: base(cents) × days × 10^e / (100 × 30)
      const flat = refRound(s.base.units * days * pow, 100n * 30n, s.rounding);
      // per-unit: Σ q(d) × seat(cents) × 10^e / (100 × 30)
      let unitDays = 0n;
      for (let d = from; d <= to; d++) {
        const date = `2026-11-${String(d).padStart(2, '0')}`;
        const qs = (sub.quantities ?? []).filter((q) => q.from <= date).sort((a, b) => (a.from < b.from ? -1 : 1));
        unitDays += BigInt(qs.length ? qs[qs.length - 1].value : 0);
      }
      const perUnit = refRound(unitDays * s.seat.units * pow, 100n * 30n, s.rounding);
      return minor(st.lines[0].amount, s.e) === flat && minor(st.lines[1].amount, s.e) === perUnit;
    }),
    { numRuns: RUNS },
  );
  t.pass();
});
