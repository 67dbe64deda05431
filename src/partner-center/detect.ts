// Telling the two files apart by their header row (SPEC §12.2), and naming
// the first missing column when a file is almost one of them.
import { KIND_COLUMNS, SIGNATURE, type FileKind } from './columns.js';

export type Detected = { readonly kind: FileKind } | { readonly missing: string; readonly message: string };

export function detectKindOrMissing(header: readonly string[]): Detected {
  const has = new Set(header);
  const score = (k: FileKind) => SIGNATURE[k].filter((c) => has.has(c)).length / SIGNATURE[k].length;
  // a daily file carries InvoiceNumber and ChargeStartDate too: the invoice file is the one with Subtotal
  const kind: FileKind = score('invoice') > score('daily') ? 'invoice' : 'daily';
  if (score(kind) === 0) {
    return {
      missing: SIGNATURE.daily[0]!,
      message: `not a Partner Center file: the header has neither the invoice reconciliation columns (${SIGNATURE.invoice.join(', ')}) nor the daily rated usage columns (${SIGNATURE.daily.join(', ')})`,
    };
  }
  const name = kind === 'invoice' ? 'invoice reconciliation' : 'daily rated usage';
  const missing = KIND_COLUMNS[kind].required.find((c) => !has.has(c));
  if (missing !== undefined) return { missing, message: `required column ${missing} is missing (the header looks like a ${name} file)` };
  return { kind };
}
