// A Partner Center import (SPEC §12.2): read the file (read.ts), then decide
// per group of lines whether it is spend of a customer, and write the spend
// records in one transaction, replacing the figures of keys imported before.
// Shared by `tierbook import partner-center` and
// POST /v1/partners/:partner/imports/partner-center.
//
// Rounding happens once, here: a record's cost and retail are the exact sums
// of its lines (retail of each line exact too), rounded to the currency's
// minor unit with the plan's rounding mode when the record is made. The
// report's figures (unknown tenants, unmatched products, other currencies)
// are the exact sums of the file's cells, not rounded: they are not money of
// any statement.
import { createHash } from 'node:crypto';
import { ERR } from '../errors.js';
import { roundToUnits, unitsToDecimal } from '../rational.js';
import { currencyOf, exponentOf } from '../billing/money.js';
import type { Plan } from '../plans/types.js';
import type { CustomerRecord, Repository, SpendRecord } from '../store/repository.js';
import type { FileKind } from './columns.js';
import { readPartnerCenter, ReconciliationFileError, type LineGroup } from './read.js';
import { parseDec, Sum, sumText } from './numbers.js';

export interface ImportSummary {
  readonly file: string;
  readonly kind: FileKind;
  readonly lines: number;
  readonly imported: { readonly records: number; readonly created: number; readonly replaced: number; readonly cost: string };
  readonly unknownCustomers: readonly { customerId: string; customerName: string; lines: number; cost: string }[];
  readonly unmatched: readonly { productName: string; lines: number; cost: string }[];
  readonly currencyMismatch: readonly { currency: string; lines: number; cost: string }[];
  readonly dryRun: boolean;
}

export interface ImportOptions {
  /** The name the summary gives the file. */
  readonly file: string;
  readonly strict?: boolean;
  /** Read and report, write nothing. */
  readonly dryRun?: boolean;
  readonly onBytes?: (bytes: number) => void;
}

/** The id of a Partner Center spend record: its key (customer, period, service, file kind, invoice) hashed into a slug. */
export function partnerCenterSpendId(customer: string, period: string, service: string, kind: FileKind, invoice: string): string {
  return 'pc-' + createHash('sha256').update([customer, period, service, kind, invoice].join('\n')).digest('hex').slice(0, 32);
}

/**
 * Imports one file for the plan's partner. Throws INVALID_RECONCILIATION_FILE
 * (structural error: nothing imported) or RECONCILIATION_LINES_REPORTED
 * (strict and something was reported: nothing imported).
 */
export async function importPartnerCenter(
  repo: Repository,
  plan: Plan,
  source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const partner = plan.partner.id;
  let reading;
  try {
    reading = await readPartnerCenter(source, { services: plan.services.values(), ...(opts.onBytes ? { onBytes: opts.onBytes } : {}) });
  } catch (err) {
    if (err instanceof ReconciliationFileError) {
      throw ERR.INVALID_RECONCILIATION_FILE(
        { detail: `${opts.file}: ${err.message}` },
        { extra: { line: err.line, ...(err.column !== null ? { column: err.column } : {}), ...(err.columnName !== null ? { columnName: err.columnName } : {}), reason: err.detail } },
      );
    }
    throw err;
  }

  const byTenant = new Map<string, CustomerRecord>();
  for (const c of await repo.listCustomers(partner)) if (c.tenantId) byTenant.set(c.tenantId.toLowerCase(), c);
  const currencies = new Map<string, string>();
  /** The currency of the customer's statements: its subscriptions' offerings', else the partner's. */
  const currencyOfCustomer = async (c: CustomerRecord): Promise<string> => {
    let code = currencies.get(c.id);
    if (code === undefined) {
      const subs = await repo.listSubscriptions(partner, c.id);
      const offering = subs.map((s) => plan.offerings.get(s.offering)).find((o) => o !== undefined);
      code = offering?.currency ?? plan.partner.currency;
      currencies.set(c.id, code);
    }
    return code;
  };

  const unknown = new Map<string, { customerId: string; customerName: string; lines: number; cost: Sum }>();
  const unmatched = new Map<string, { productName: string; lines: number; cost: Sum }>();
  const mismatch = new Map<string, { currency: string; lines: number; cost: Sum }>();
  const report = <T extends { lines: number; cost: Sum }>(m: Map<string, T>, k: string, make: () => T, g: LineGroup) => {
    let e = m.get(k);
    if (!e) m.set(k, (e = make()));
    e.lines += g.lines;
    e.cost.addSum(g.cost);
  };
  const records: SpendRecord[] = [];
  for (const g of reading.groups) {
    const customer = byTenant.get(g.tenant);
    if (!customer) {
      report(unknown, g.tenant, () => ({ customerId: g.tenant, customerName: reading.customerNames.get(g.tenant) ?? '', lines: 0, cost: new Sum() }), g);
      continue;
    }
    if (g.service === null) {
      report(unmatched, g.productName, () => ({ productName: g.productName, lines: 0, cost: new Sum() }), g);
      continue;
    }
    const code = await currencyOfCustomer(customer);
    if (g.currency !== code) {
      report(mismatch, g.currency, () => ({ currency: g.currency, lines: 0, cost: new Sum() }), g);
      continue;
    }
    const exponent = exponentOf(currencyOf(code, plan.partner.exponent));
    const money = (s: Sum): string => unitsToDecimal(roundToUnits(s.rat(), exponent, plan.partner.rounding), exponent);
    records.push({
      id: partnerCenterSpendId(customer.id, g.period, g.service, reading.kind, g.invoice),
      customer: customer.id,
      period: g.period,
      service: g.service,
      amount: money(g.cost),
      retail: g.retail ? money(g.retail) : null,
      source: reading.kind,
      invoice: g.invoice,
    });
  }
  records.sort((a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const list = <T extends { cost: Sum }>(m: Map<string, T>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => ({ ...v, cost: sumText(v.cost) }));
  const total = new Sum();
  let scale = 0; // the total is written like the amounts it adds up (2 decimals for USD)
  for (const r of records) {
    const d = parseDec(r.amount)!; // written just above by unitsToDecimal
    total.addDec(d.units, d.scale);
    scale = Math.max(scale, d.scale);
  }
  const reported = [...unknown.values(), ...unmatched.values(), ...mismatch.values()].reduce((n, e) => n + e.lines, 0);
  const summary = (created: number, replaced: number): ImportSummary => ({
    file: opts.file,
    kind: reading.kind,
    lines: reading.lines,
    imported: { records: records.length, created, replaced, cost: sumText(total, scale) },
    unknownCustomers: list(unknown),
    unmatched: list(unmatched),
    currencyMismatch: list(mismatch),
    dryRun: opts.dryRun === true,
  });

  if (opts.strict && reported > 0) {
    throw ERR.RECONCILIATION_LINES_REPORTED({ lines: reported }, { extra: { summary: summary(0, 0) } });
  }
  if (opts.dryRun) {
    // what a real import would do: ids already stored would be replaced
    const stored = new Set<string>();
    const seen = new Set<string>();
    for (const r of records) {
      const k = `${r.customer}\n${r.period}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const data = await repo.periodData(partner, r.customer, r.period, 0, 0); // an empty time range: spend only
      for (const s of data?.spend ?? []) stored.add(s.id);
    }
    const replaced = records.filter((r) => stored.has(r.id)).length;
    return summary(records.length - replaced, replaced);
  }
  const counts = records.length > 0 ? await repo.replaceSpend(partner, records) : { created: 0, replaced: 0 };
  return summary(counts.created, counts.replaced);
}
