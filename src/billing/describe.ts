// Line descriptions a customer understands ("Standard: base fee, 22 of 31
// days"), in the statement's locale: the customer's, else the partner's;
// en-US and zh-CN are written out, any other locale falls back to en-US.
import type { LocaleText, Offering, PricingComponent } from '../plans/types.js';

export interface Texts {
  readonly locale: string;
  name(t: LocaleText | undefined, fallback: string): string;
  flat(off: string, label: string, named: boolean, days: number, D: number): string;
  perUnit(off: string, label: string, metric: string, qMin: number, qMax: number, unitDays: bigint, price: string, days: number, D: number): string;
  tiered(off: string, label: string, metric: string, q: number, breakdown: string, days: number, D: number): string;
  perIncident(off: string, label: string, n: number, included: number, billed: number, price: string): string;
  hourly(off: string, label: string, after: boolean, worked: string, included: string, billed: string, multiplier: string | null): string;
  percentOfSpend(off: string, label: string, rate: string, spend: string, services: string, clamp: 'minimum' | 'maximum' | null, bound: string): string;
  minimum(off: string, minimum: string, days: number, D: number, prorated: string, charges: string): string;
  discount(off: string, rate: string, base: string): string;
  credit(off: string, breaches: number, perBreach: string, cap: string, rate: string, base: string): string;
  allServices: string;
}

const en: Texts = {
  locale: 'en-US',
  name: (t, fallback) => t?.['en-US'] ?? fallback,
  flat: (off, label, named, days, D) => `${off}: ${label}${named ? '' : ' fee'}, ${days} of ${D} days`,
  perUnit: (off, label, metric, qMin, qMax, unitDays, price, days, D) =>
    qMin === qMax
      ? `${off}: ${label}, ${qMin} ${metric} × ${price}, ${days} of ${D} days`
      : `${off}: ${label}, ${qMin} to ${qMax} ${metric} (${unitDays} ${metric}-days of ${D}) × ${price}`,
  tiered: (off, label, metric, q, breakdown, days, D) =>
    `${off}: ${label}, ${q} ${metric}${breakdown ? ` (${breakdown})` : ''}, ${days} of ${D} days`,
  perIncident: (off, label, n, included, billed, price) =>
    `${off}: ${label}, ${n} incident${n === 1 ? '' : 's'}${included > 0 ? `, ${Math.min(n, included)} included` : ''}, ${billed} × ${price}`,
  hourly: (off, label, after, worked, included, billed, multiplier) =>
    `${off}: ${label}, ${after ? `after hours${multiplier ? ` (× ${multiplier})` : ''}` : 'business hours'}, ${worked} h worked` +
    `${included !== '0' ? `, ${included} h included` : ''}, ${billed} h billed`,
  percentOfSpend: (off, label, rate, spend, services, clamp, bound) =>
    `${off}: ${label}, ${rate} of ${spend} ${services} spend${clamp ? ` (${clamp} ${bound})` : ''}`,
  minimum: (off, minimum, days, D, prorated, charges) =>
    `${off}: minimum commitment ${minimum}${days === D ? '' : ` × ${days}/${D} days = ${prorated}`}, charges ${charges}`,
  discount: (off, rate, base) => `${off}: discount ${rate} of ${base}`,
  credit: (off, breaches, perBreach, cap, rate, base) =>
    `${off}: service credit, ${breaches} missed response target${breaches === 1 ? '' : 's'} × ${perBreach} (cap ${cap}) = ${rate} of ${base}`,
  allServices: 'cloud',
};

const zh: Texts = {
  locale: 'zh-CN',
  name: (t, fallback) => t?.['zh-CN'] ?? t?.['en-US'] ?? fallback,
  flat: (off, label, named, days, D) => `${off}：${label}${named ? '' : ' 费用'}，${D} 天中的 ${days} 天`,
  perUnit: (off, label, metric, qMin, qMax, unitDays, price, days, D) =>
    qMin === qMax
      ? `${off}：${label}，${qMin} ${metric} × ${price}，${D} 天中的 ${days} 天`
      : `${off}：${label}，${qMin} 至 ${qMax} ${metric}（${unitDays} ${metric}·天，共 ${D} 天）× ${price}`,
  tiered: (off, label, metric, q, breakdown, days, D) =>
    `${off}：${label}，${q} ${metric}${breakdown ? `（${breakdown}）` : ''}，${D} 天中的 ${days} 天`,
  perIncident: (off, label, n, included, billed, price) =>
    `${off}：${label}，${n} 次事件${included > 0 ? `，含 ${Math.min(n, included)} 次` : ''}，${billed} × ${price}`,
  hourly: (off, label, after, worked, included, billed, multiplier) =>
    `${off}：${label}，${after ? `非工作时间${multiplier ? `（× ${multiplier}）` : ''}` : '工作时间'}，工作 ${worked} 小时` +
    `${included !== '0' ? `，含 ${included} 小时` : ''}，计费 ${billed} 小时`,
  percentOfSpend: (off, label, rate, spend, services, clamp, bound) =>
    `${off}：${label}，${services} 消费 ${spend} 的 ${rate}${clamp ? `（${clamp === 'minimum' ? '最低' : '最高'} ${bound}）` : ''}`,
  minimum: (off, minimum, days, D, prorated, charges) =>
    `${off}：最低承诺 ${minimum}${days === D ? '' : ` × ${days}/${D} 天 = ${prorated}`}，实际费用 ${charges}`,
  discount: (off, rate, base) => `${off}：折扣 ${rate}，基数 ${base}`,
  credit: (off, breaches, perBreach, cap, rate, base) =>
    `${off}：服务补偿，${breaches} 次未达响应时限 × ${perBreach}（上限 ${cap}）= ${base} 的 ${rate}`,
  allServices: '云',
};

export function textsFor(locale: string | undefined): Texts {
  return locale === 'zh-CN' ? zh : en;
}

export const offeringName = (t: Texts, o: Offering): string => t.name(o.name, o.id);

/** The component's own description, else its id. `named` tells the template not to add a noun. */
export function componentLabel(t: Texts, c: PricingComponent): { label: string; named: boolean } {
  return c.description ? { label: t.name(c.description, c.id), named: true } : { label: c.id, named: false };
}
