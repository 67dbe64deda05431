// Hand-made compiled plans and statements for the renderer tests: the SPEC's
// example (USD, en-US), a CNY partner in zh-CN, and a KWD partner with an
// outsourced and a resold offering. Built straight against src/plans/types.ts
// so the renderer is tested without the YAML loader.
import { alwaysOpenCalendar, compileCalendar } from '../../src/calendar/compile.js';
import type { Calendar } from '../../src/calendar/types.js';
import type { Statement } from '../../src/billing/types.js';
import type {
  Channel,
  Dec,
  LocaleText,
  Offering,
  Percent,
  Plan,
  PricingComponent,
  Provider,
  Service,
  Severity,
} from '../../src/plans/types.js';

export function dec(text: string): Dec {
  const [i, f = ''] = text.replace('-', '').split('.');
  const units = BigInt(i + f) * (text.startsWith('-') ? -1n : 1n);
  return { text, units, scale: f.length };
}
export function pct(text: string): Percent {
  const [i, f = ''] = text.slice(0, -1).split('.');
  return { text, num: BigInt(i + f), den: 100n * 10n ** BigInt(f.length) };
}
const lt = (en: string, zh?: string): LocaleText => (zh ? { 'en-US': en, 'zh-CN': zh } : { 'en-US': en });
const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
};
function office(id: string, timezone: string, hours: Record<number, string[]>, holidays: string[]): Calendar {
  const weekly = Array.from({ length: 7 }, (_, d) =>
    (hours[d] ?? []).map((w) => {
      const [a, b] = w.split('-');
      return { start: hm(a), end: hm(b) };
    }),
  );
  return compileCalendar({ id, timezone, weekly, holidays, alwaysOpen: false });
}
const monFri = (w: string[]) => ({ 0: w, 1: w, 2: w, 3: w, 4: w });

function sev(label: string, response: number, calendar: Calendar, name?: LocaleText): Severity {
  const h = Math.floor(response / 60);
  const m = response % 60;
  return { label, name, responseMinutes: response, response: `${h ? h + 'h' : ''}${m ? m + 'm' : ''}`, calendar };
}

interface OfferingSpec extends Partial<Offering> {
  id: string;
  name: LocaleText;
}
function offering(plan: { currency: string; exponent: number }, index: number, o: OfferingSpec): Offering {
  return {
    index,
    delivery: 'partner',
    provider: null,
    services: [],
    categories: ['billing', 'subscription', 'technical'],
    channels: [],
    calendar: alwaysOpenCalendar('UTC'),
    severities: new Map(),
    pricing: [],
    includes: [],
    excludes: [],
    currency: plan.currency,
    exponent: plan.exponent,
    ...o,
  };
}
const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
type WithoutOrder<T> = T extends unknown ? Omit<T, 'order'> : never; // distributes over the union
const comp = (c: WithoutOrder<PricingComponent>, order: number) => ({ ...c, order }) as PricingComponent;

// ---------- contoso: the SPEC's example
export function contoso(overrides: { partnerName?: LocaleText; offeringName?: LocaleText } = {}): Plan {
  const tz = 'America/New_York';
  const cur = { currency: 'USD', exponent: 2 };
  const o = office('office', tz, { ...monFri(['08:00-18:00']), 5: ['09:00-13:00'] }, ['2026-11-26', '2026-12-25', '2027-01-01']);
  const all = alwaysOpenCalendar(tz);
  const fabrikam: Provider = {
    id: 'fabrikam',
    name: lt('Fabrikam Managed Services'),
    relationship: 'outsourced',
    costs: [{ model: 'hourly', amount: dec('55.00') }],
  };
  const adatum: Provider = { id: 'adatum', name: lt('Adatum Premier Desk'), relationship: 'resold', costs: [{ model: 'percent-of-price', rate: pct('60%') }] };
  const services: Service[] = [
    { id: 'azure', name: lt('Microsoft Azure') },
    { id: 'm365', name: lt('Microsoft 365') },
    { id: 'd365', name: lt('Dynamics 365', 'Dynamics 365') },
  ];
  const channels: Channel[] = [
    { id: 'phone', type: 'phone', address: '+1 800 555 0199', calendar: o },
    { id: 'email', type: 'email', address: 'support@contoso.example', calendar: all },
    { id: 'portal', type: 'portal', address: 'https://support.contoso.example', calendar: all },
  ];
  const essential = offering(cur, 0, {
    id: 'essential',
    name: overrides.offeringName ?? lt('Essential', '基础支持'),
    summary: lt('Billing and subscription help, technical help by email.'),
    services: ['m365'],
    channels: ['email', 'portal'],
    calendar: o,
    severities: new Map([
      ['B', sev('B', 480, o, lt('High'))],
      ['C', sev('C', 960, o, lt('Normal'))],
    ]),
    pricing: [
      comp({ id: 'base', model: 'flat', amount: dec('49.00') }, 0),
      comp({ id: 'incidents', model: 'per-incident', amount: dec('95.00'), included: 1, categories: ['technical'] }, 1),
    ],
    includes: [lt('Licence and billing questions'), lt('Microsoft 365 configuration help')],
    excludes: [lt('On-site work'), lt('Custom code')],
  });
  const standard = offering(cur, 1, {
    id: 'standard',
    name: lt('Standard'),
    services: ['m365', 'azure'],
    channels: ['email', 'portal', 'phone'],
    calendar: o,
    severities: new Map([
      ['A', sev('A', 60, all, lt('Critical'))],
      ['B', sev('B', 240, o, lt('High'))],
      ['C', sev('C', 480, o, lt('Normal'))],
    ]),
    pricing: [
      comp({ id: 'base', model: 'flat', amount: dec('250.00'), to: '2026-12-31' }, 0),
      comp({ id: 'base', model: 'flat', amount: dec('275.00'), from: '2027-01-01' }, 0),
      comp({ id: 'seats', model: 'per-unit', metric: 'seats', amount: dec('4.00') }, 2),
      comp({ id: 'labour', model: 'hourly', amount: dec('120.00'), includedMinutes: 120, incrementMinutes: 15, afterHoursMultiplier: dec('1.5') }, 3),
      comp({ id: 'azure', model: 'percent-of-spend', rate: pct('8%'), services: ['azure'], minimum: dec('100.00'), maximum: dec('5000.00') }, 4),
    ],
    minimum: dec('300.00'),
    serviceCredits: { perBreach: pct('5%'), cap: pct('25%') },
  });
  const dynamics = offering(cur, 2, {
    id: 'dynamics-plus',
    name: lt('Dynamics Plus'),
    delivery: 'fabrikam',
    provider: fabrikam,
    services: ['d365'],
    categories: ['technical'],
    channels: ['email', 'phone'],
    calendar: o,
    severities: new Map([
      ['A', sev('A', 120, all)],
      ['B', sev('B', 360, o)],
    ]),
    pricing: [
      comp(
        {
          id: 'users',
          model: 'graduated',
          metric: 'users',
          tiers: [
            { upTo: 25, amount: dec('12.00') },
            { upTo: 100, amount: dec('9.00') },
            { upTo: null, amount: dec('7.00') },
          ],
        },
        0,
      ),
    ],
  });
  return {
    version: 1,
    file: 'plans/contoso.yaml',
    hash: 'sha256:' + '0'.repeat(64),
    partner: {
      id: 'contoso',
      name: overrides.partnerName ?? lt('Contoso Cloud Services'),
      ...cur,
      timezone: tz,
      locale: 'en-US',
      rounding: 'half-up',
      microsoft: { commercial: true, technical: ['advanced-support'] },
      contact: { email: 'billing@contoso.example', phone: '+1 800 555 0100' },
    },
    services: byId(services),
    providers: byId([fabrikam, adatum]),
    calendars: new Map([
      ['office', o],
      ['24x7', all],
    ]),
    channels: byId(channels),
    offerings: byId([essential, standard, dynamics]),
    rules: [],
  };
}

// ---------- a CNY partner writing in zh-CN
export function huayun(): Plan {
  const tz = 'Asia/Shanghai';
  const cur = { currency: 'CNY', exponent: 2 };
  const o = office('office', tz, monFri(['09:00-12:00', '13:00-18:00']), ['2026-10-01', '2027-02-17']);
  const all = alwaysOpenCalendar(tz);
  const channels: Channel[] = [
    { id: 'hotline', type: 'phone', address: '400-800-1234', calendar: o, description: lt('Hotline', '服务热线') },
    { id: 'wechat', type: 'other', address: 'WeChat: huayun-support', calendar: all },
  ];
  const gold = offering(cur, 0, {
    id: 'gold',
    name: lt('Gold Support', '金牌支持'),
    summary: lt('Full support for Azure and Microsoft 365.', '全面支持 Azure 和 Microsoft 365。'),
    services: ['azure', 'm365'],
    channels: ['hotline', 'wechat'],
    calendar: o,
    severities: new Map([
      ['P1', sev('P1', 30, all, lt('Critical', '紧急'))],
      ['P2', sev('P2', 90, o, lt('Normal', '一般'))],
    ]),
    pricing: [
      comp({ id: 'base', model: 'flat', amount: dec('8000.00') }, 0),
      comp(
        {
          id: 'users',
          model: 'volume',
          metric: 'users',
          tiers: [
            { upTo: 100, amount: dec('20.00') },
            { upTo: null, amount: dec('15.00'), flat: dec('500.00') },
          ],
        },
        1,
      ),
      comp({ id: 'labour', model: 'hourly', amount: dec('600.00'), includedMinutes: 0, incrementMinutes: 30, afterHoursMultiplier: dec('2') }, 2),
    ],
    includes: [lt('Remote support', '远程支持')],
    excludes: [lt('On-site work', '现场服务')],
    serviceCredits: { perBreach: pct('10%'), cap: pct('30%') },
  });
  const free = offering(cur, 1, {
    id: 'basic',
    name: lt('Basic', '基础'),
    services: ['m365'],
    categories: ['billing', 'subscription'],
    channels: ['wechat'],
    calendar: o,
    severities: new Map([['P2', sev('P2', 480, o, lt('Normal', '一般'))]]),
  });
  return {
    version: 1,
    file: 'plans/huayun.yaml',
    hash: 'sha256:' + '1'.repeat(64),
    partner: {
      id: 'huayun',
      name: lt('Huayun Cloud', '华云科技'),
      ...cur,
      timezone: tz,
      locale: 'zh-CN',
      rounding: 'half-even',
      microsoft: { commercial: true, technical: ['premier-support', 'partner-cloud-support'] },
      contact: { email: 'billing@huayun.example' },
    },
    services: byId([
      { id: 'azure', name: lt('Microsoft Azure', '微软 Azure') },
      { id: 'm365', name: lt('Microsoft 365', '微软 365') },
    ]),
    providers: new Map(),
    calendars: new Map([
      ['office', o],
      ['24x7', all],
    ]),
    channels: byId(channels),
    offerings: byId([gold, free]),
    rules: [],
  };
}

// ---------- a KWD partner (3 decimals) with an outsourced and a resold offering
export function gulf(): Plan {
  const tz = 'Asia/Kuwait';
  const cur = { currency: 'KWD', exponent: 3 };
  const o = office('office', tz, { 6: ['08:00-16:00'], 0: ['08:00-16:00'], 1: ['08:00-16:00'], 2: ['08:00-16:00'], 3: ['08:00-16:00'] }, ['2027-02-25']);
  const all = alwaysOpenCalendar(tz);
  const out: Provider = { id: 'northwind-ms', name: lt('Northwind Managed Services'), relationship: 'outsourced', costs: [] };
  const resold: Provider = { id: 'litware', name: lt('Litware Premier'), relationship: 'resold', costs: [] };
  const managed = offering(cur, 0, {
    id: 'managed',
    name: lt('Managed'),
    delivery: 'northwind-ms',
    provider: out,
    services: ['azure'],
    categories: ['technical'],
    channels: ['email'],
    calendar: o,
    severities: new Map([['1', sev('1', 90, all, lt('Urgent'))]]),
    pricing: [comp({ id: 'incident', model: 'per-incident', amount: dec('30.500'), included: 3, categories: null }, 0)],
    minimum: dec('100.000'),
  });
  const premier = offering(cur, 1, {
    id: 'premier',
    name: lt('Premier'),
    delivery: 'litware',
    provider: resold,
    services: ['azure'],
    categories: ['billing', 'technical'],
    channels: ['email', 'teams'],
    calendar: all,
    severities: new Map([['1', sev('1', 15, all, lt('Urgent'))]]),
    pricing: [comp({ id: 'spend', model: 'percent-of-spend', rate: pct('12.5%'), services: null }, 0)],
  });
  return {
    version: 1,
    file: 'plans/gulf.yaml',
    hash: 'sha256:' + '2'.repeat(64),
    partner: {
      id: 'gulf',
      name: lt('Gulf Cloud Partners'),
      ...cur,
      timezone: tz,
      locale: 'en-US',
      rounding: 'half-up',
      microsoft: { commercial: false, technical: [] },
    },
    services: byId([{ id: 'azure', name: lt('Microsoft Azure') }]),
    providers: byId([out, resold]),
    calendars: new Map([
      ['office', o],
      ['24x7', all],
    ]),
    channels: byId<Channel>([
      { id: 'email', type: 'email', address: 'help@gulf.example', calendar: all },
      { id: 'teams', type: 'teams', address: 'https://teams.example/gulf', calendar: o },
    ]),
    offerings: byId([managed, premier]),
    rules: [],
  };
}

export const fixturePlans = (): Plan[] => [contoso(), huayun(), gulf()];

/** A statement for contoso/northwind, October 2026, shaped as SPEC §4.6. */
export function contosoStatement(): Statement & { worklogs: { start: string; minutes: number }[] } {
  return {
    partner: 'contoso',
    customer: 'northwind',
    period: '2026-10',
    currency: 'USD',
    lines: [
      { offering: 'standard', component: 'base', model: 'flat', description: 'Standard: base fee, 22 of 31 days', quantity: '22/31', unit: 'days', unitPrice: '250.00', amount: '177.42' },
      { offering: 'standard', component: 'seats', model: 'per-unit', description: 'Standard: seats', quantity: '40', unit: 'seats', unitPrice: '4.00', amount: '113.55' },
      { offering: 'standard', component: 'labour', model: 'hourly', kind: 'business-hours', description: 'Standard: labour, business hours', quantity: '1.25', unit: 'hours', unitPrice: '120.00', amount: '150.00' },
      { offering: 'standard', component: 'labour', model: 'hourly', kind: 'after-hours', description: 'Standard: labour, after hours', quantity: '0.5', unit: 'hours', unitPrice: '180.00', amount: '90.00' },
      { offering: 'standard', component: 'azure', model: 'percent-of-spend', description: 'Standard: 8% of Azure spend', quantity: '12345678901234.56', unit: 'USD', unitPrice: '8%', amount: '987654312098.76' },
      { offering: 'standard', component: 'discount', description: '-10% discount', amount: '-98765434.56' },
      { offering: 'standard', component: 'service-credit', description: 'Service credit: 1 breach × 5%', amount: '-14.55' },
    ],
    subtotal: '987555547180.62',
    tax: '0.00',
    total: '987555547180.62',
    serviceLevels: { requests: 4, met: 2, breached: 1 },
    requests: [
      { id: 'r-1', offering: 'standard', severity: 'A', category: 'technical', receivedAt: '2026-10-02T10:00:00-04:00', responseDueAt: '2026-10-02T11:00:00-04:00', respondedAt: '2026-10-02T10:20:00-04:00', status: 'met', billable: false },
      { id: 'r-2', offering: 'standard', severity: 'B', category: 'technical', receivedAt: '2026-10-09T17:00:00-04:00', responseDueAt: '2026-10-10T11:00:00-04:00', respondedAt: '2026-10-10T12:00:00-04:00', status: 'breached', billable: false },
      { id: 'r-3', offering: 'standard', severity: 'C', category: 'billing', receivedAt: '2026-10-20T09:00:00-04:00', responseDueAt: '2026-10-20T17:00:00-04:00', respondedAt: '2026-10-20T09:30:00-04:00', status: 'met', billable: false },
      { id: 'r-4', offering: 'standard', severity: 'B', category: 'technical', receivedAt: '2026-10-30T16:00:00-04:00', responseDueAt: '2026-11-02T10:00:00-05:00', respondedAt: null, status: 'open', billable: false },
    ],
    hoursWorked: '1.75',
    worklogs: [
      { start: '2026-10-02T10:30:00-04:00', minutes: 45 },
      { start: '2026-10-10T19:00:00-04:00', minutes: 30 },
      { start: '2026-10-21T09:00:00-04:00', minutes: 30 },
    ],
    planHash: 'sha256:' + '0'.repeat(64),
  };
}

/** A plausible month for the screenshots (contosoStatement stresses exactness with huge amounts). */
export function sampleStatement(): ReturnType<typeof contosoStatement> {
  const st = contosoStatement();
  return {
    ...st,
    lines: [
      ...st.lines.slice(0, 4),
      { offering: 'standard', component: 'azure', model: 'percent-of-spend', description: 'Standard: 8% of Azure spend of 2,500.00', quantity: '2500.00', unit: 'spend', unitPrice: '8%', amount: '200.00' },
      st.lines[6],
    ],
    subtotal: '716.42',
    taxRate: '8.25%',
    tax: '59.10',
    total: '775.52',
  };
}
