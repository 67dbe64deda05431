// Shapes shared by the document view models: a partner header and a table
// whose cells are plain text (templates escape them for the output format).
import type { Plan } from '../plans/types.js';
import type { Formatter } from './format.js';
import type { SupportedLocale } from './i18n.js';

export interface Cell {
  readonly text: string;
  readonly numeric?: boolean;
  readonly note?: string; // a second, smaller line (e.g. the billing description)
}
export interface Table {
  readonly columns: readonly Cell[];
  readonly rows: readonly { readonly cells: readonly Cell[]; readonly strong?: boolean }[];
  readonly foot?: readonly { readonly cells: readonly Cell[]; readonly strong?: boolean }[];
}

export interface CustomerRef {
  readonly id: string;
  readonly name?: string;
  readonly locale?: string;
}

export interface HeaderView {
  readonly locale: SupportedLocale;
  readonly title: string;
  readonly partner: { readonly name: string; readonly email?: string; readonly phone?: string; readonly url?: string };
  /** The customer by name (its id when it has no name); the id itself is only in the reference line. */
  readonly customer: { readonly name: string } | null;
}

export function headerView(plan: Plan, fmt: Formatter, title: string, customer?: CustomerRef): HeaderView {
  const c = plan.partner.contact;
  return {
    locale: fmt.locale,
    title,
    partner: { name: fmt.text(plan.partner.name), email: c?.email, phone: c?.phone, url: c?.url },
    customer: customer ? { name: customer.name ?? customer.id } : null,
  };
}

/**
 * The small print that ties a document to its data: "Reference: northwind ·
 * standard · plan 3f2a9c1b0d4e". The only place of a customer document where
 * ids are shown (a partner's support desk reads them); the text above uses names.
 */
export function referenceLine(fmt: Formatter, ids: readonly string[], planHash: string): string {
  const hash = planHash.replace(/^sha256:/, '').slice(0, 12);
  return fmt.t('doc.reference', { ref: [...ids, fmt.t('doc.reference.plan', { hash })].join(' · ') });
}
