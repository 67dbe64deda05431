// What the customers, month-end and margin pages share: billing periods (a
// month "YYYY-MM" in the partner's time zone, never the machine's) and their
// picker, amounts with their decimal text kept in data-amount, and list query
// strings.
import { fmtMoney, zonedNow } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Ctx } from './types.js';

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month before `period` ("2026-01" → "2025-12"). */
export function monthBefore(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The month before the current one in `zone`: the month a month-end closes. */
export const lastPeriod = (zone: string, now: number = Date.now()): string => monthBefore(zonedNow(now, zone).period);

/** `?period=` when it is a month, else last month in the partner's zone. */
export const periodParam = (params: URLSearchParams, zone: string): string => {
  const p = params.get('period');
  return p && PERIOD.test(p) ? p : lastPeriod(zone);
};

/** A month picker (labelled by the caller) that goes to `hashOf(period)` when a month is picked. */
export function periodInput(ctx: Ctx, period: string, hashOf: (period: string) => string): HTMLInputElement {
  return h('input', {
    type: 'month',
    name: 'period',
    value: period,
    onchange: (ev: Event) => {
      const v = (ev.target as HTMLInputElement).value;
      if (PERIOD.test(v)) ctx.navigate(hashOf(v));
    },
  });
}

/** An amount formatted for the locale, its decimal text kept in data-amount (tests and copy read it). */
export const money = (amount: string, currency: string, attrs: Record<string, string> = {}): HTMLElement =>
  h('span', { class: 'money', 'data-amount': amount, ...attrs }, fmtMoney(amount, currency));

/** One page of a list (GET ./customers, ./requests, ./documents …). */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** `path?k=v&…` with the parameters that have a value. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, v);
  const text = s.toString();
  return text ? `${path}?${text}` : path;
}

/** `fn` over `items` with at most `limit` calls in flight (a month of many customers is not a thousand requests at once); results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
