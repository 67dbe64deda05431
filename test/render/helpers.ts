// Shared helpers of the renderer tests: the example plans, HTML parsing, and
// expected values computed independently of the renderer (Intl directly).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import type { LocaleText, Plan } from '../../src/plans/types.js';
import { fixturePlans } from './fixtures.js';

export const LOCALES = ['en-US', 'zh-CN'] as const;
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The example plans: plans/*.yaml through the project's loader when both are
 * there, plus the hand-made fixtures (which cover the same three partners and
 * some shapes the examples may not: volume tiers, free offering, no vehicles).
 */
export async function examplePlans(): Promise<Plan[]> {
  const plans = fixturePlans();
  const dir = ROOT + 'plans';
  const loader = ROOT + 'src/cli/plan-files.ts';
  if (existsSync(loader) && existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.yaml'))) {
    const mod = (await import('../../src/cli/plan-files.js' as string)) as {
      loadPlansDir(dir: string): Promise<unknown> | unknown;
    };
    const loaded = await mod.loadPlansDir(dir);
    for (const p of plansOf(loaded)) plans.unshift(p);
  }
  return plans;
}

/** loadPlansDir's result: a Map or a list of plans or of { plan } results; take what is there. */
function plansOf(x: unknown): Plan[] {
  const items = x instanceof Map ? [...x.values()] : Array.isArray(x) ? x : x && typeof x === 'object' && 'plans' in x ? plansOf((x as { plans: unknown }).plans) : [];
  return items
    .map((i) => (i && typeof i === 'object' && 'partner' in i && 'offerings' in i ? i : (i as { plan?: unknown })?.plan))
    .filter((p): p is Plan => !!p && typeof p === 'object' && 'offerings' in p);
}

export function parse(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

export function texts(doc: Document | Element, selector: string): string[] {
  return [...doc.querySelectorAll(selector)].map((e) => norm(e.textContent ?? ''));
}

export function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function pick(text: LocaleText | undefined, locale: string): string {
  if (!text) return '';
  return text[locale] ?? text['en-US'] ?? Object.values(text)[0] ?? '';
}

/** Money as the documents must show it, straight from Intl (a numeric string formats exactly). */
export function money(amount: string, currency: string, locale: string, display: 'code' | 'symbol' = 'code'): string {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits!;
  const scale = amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0;
  const d = Math.max(digits, scale);
  return norm(
    new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: display, minimumFractionDigits: d, maximumFractionDigits: d }).format(
      amount as unknown as number,
    ),
  );
}

export function weekdayName(index: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}

export const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
