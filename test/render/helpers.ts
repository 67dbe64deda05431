// Shared helpers of the renderer tests: the example plans, HTML parsing, and
// expected values computed independently of the renderer (Intl directly).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { loadPlan } from '../../src/plans/load.js';
import type { LocaleText, Plan } from '../../src/plans/types.js';
import { fixturePlans } from './fixtures.js';

export const LOCALES = ['en-US', 'zh-CN'] as const;
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The example plans: plans/*.yaml and the SPEC's example (test/render/plans)
 * through the project's loader, plus the
 * hand-made fixtures (same three kinds of partner, and shapes the examples may
 * not have: volume tiers, a free offering, no Microsoft vehicles).
 */
export function examplePlans(): Plan[] {
  const plans: Plan[] = [];
  for (const rel of ['plans/', 'test/render/plans/']) {
    const dir = ROOT + rel;
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
    for (const f of files) {
      const r = loadPlan(readFileSync(dir + f, 'utf8'), rel + f);
      if (!r.plan) throw new Error(`example plan ${rel}${f} does not load: ${r.findings.map((x) => x.message).join('; ')}`);
      plans.push(r.plan);
    }
  }
  return [...plans, ...fixturePlans()];
}

/** The little of the DOM the tests use (the project's lib has no DOM types, on purpose). */
export interface El {
  readonly textContent: string | null;
  readonly tagName: string;
  readonly children: ArrayLike<El>;
  readonly childNodes: ArrayLike<unknown>;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }> & Iterable<{ readonly name: string; readonly value: string }>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
}
export interface Doc extends El {
  readonly body: El;
  readonly documentElement: El;
}

export function parse(html: string): Doc {
  return (parseHTML(html) as unknown as { document: Doc }).document;
}

export function texts(doc: El, selector: string): string[] {
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
