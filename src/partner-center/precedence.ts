// Which stored spend records price a statement (SPEC §12.2): for one
// (customer, period, service), billed Partner Center records win over
// `unbilled` ones, and an invoice-file record wins over a daily-file record of
// the same invoice. Plain spend (posted or imported by hand) always counts.
// Pure: the statement use case filters the period's records through it.
import type { SpendRecord } from '../store/repository.js';

export function pricedSpend<T extends Pick<SpendRecord, 'service' | 'source' | 'invoice'>>(records: readonly T[]): T[] {
  const billed = new Set<string>(); // services with a billed record
  const invoiceFile = new Set<string>(); // service + invoice with an invoice-file record
  for (const r of records) {
    if (!r.source || !r.invoice) continue;
    if (r.invoice !== 'unbilled') billed.add(r.service);
    if (r.source === 'invoice') invoiceFile.add(`${r.service}\n${r.invoice}`);
  }
  return records.filter((r) => {
    if (!r.source || !r.invoice) return true;
    if (r.invoice === 'unbilled') return !billed.has(r.service);
    return r.source === 'invoice' || !invoiceFile.has(`${r.service}\n${r.invoice}`);
  });
}
