// CSV of a statement's lines (RFC 4180: CRLF, fields quoted when they hold a
// comma, quote, CR or LF; quotes doubled).
//
// Formula injection: a spreadsheet runs a cell that starts with = + - @ (or
// TAB / CR) as a formula. Such a *text* cell is written with a leading
// apostrophe. Plain decimal numbers ("-12.50") are left alone so that negative
// amounts (discounts, credits) still open as numbers.
import type { Balance, Statement, StatementRequest } from '../billing/types.js';
import { isPlainDecimal } from '../decimal.js';
import { rat, toExactDecimal, toFixed } from '../rational.js';

export const CSV_COLUMNS = [
  'offering',
  'component',
  'model',
  'kind',
  'description',
  'quantity',
  'unit',
  'unitPrice',
  'amount',
  'currency',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (!isPlainDecimal(s) && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const FRACTION = /^(-?\d+)\/(\d+)$/;

/**
 * A quantity as a spreadsheet should read it: a fraction such as "22/31" or
 * "10/31" (a prorated quantity) opens in Excel as a date (31 October), so it
 * is written as a decimal, exact when it has up to 6 decimals, else rounded
 * to 6 ("7.096774"). The JSON keeps the exact fraction.
 */
export function csvQuantity(q: string | undefined): string {
  const m = q === undefined ? null : FRACTION.exec(q);
  if (!m) return q ?? '';
  const x = rat(BigInt(m[1]!), BigInt(m[2]!));
  return toExactDecimal(x, 0, 6) ?? toFixed(x, 6).replace(/0+$/, '');
}

/** `taxNote`: the sentence saying that prices include tax (tax-inclusive statements), in the document's locale. */
export function statementCsv(st: Statement, taxNote?: string, balanceText?: (b: Balance) => string, clocksText?: (r: StatementRequest) => string): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const l of st.lines) {
    rows.push([
      l.offering,
      l.component,
      l.model ?? '',
      l.kind ?? '',
      l.description,
      csvQuantity(l.quantity),
      l.unit ?? '',
      l.unitPrice ?? '',
      l.amount,
      st.currency,
    ]);
  }
  // rows without an amount, so a sum of the amount column stays the subtotal: the tax a tax-inclusive total contains, a draft's warnings
  if (st.taxInclusive) rows.push(['', 'tax-included', '', '', taxNote ?? `tax included: ${st.tax}`, '', '', st.taxRate ?? '', '', st.currency]);
  for (const w of st.warnings ?? []) rows.push(['', 'warning', '', w.code, w.message, '', '', '', '', '']);
  // prepaid block ledgers (§10), also without an amount: the closing balance as the quantity, every figure in the description
  for (const b of st.balances ?? []) {
    const text = balanceText?.(b) ?? `${b.subscription}: opening ${b.opening}, granted ${b.granted}, used ${b.used}, expired ${b.expired}, closing ${b.closing}`;
    rows.push(['', b.component, 'block', 'balance', text, String(b.closing), b.unit, '', '', '']);
  }
  // SLA clocks (§11.3), also without an amount: one row per request, its response state as the kind, both clocks and pauses in words
  if (clocksText) for (const r of st.requests ?? []) if (r.response) rows.push([r.offering, 'sla', '', r.status, clocksText(r), '', '', '', '', '']);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
