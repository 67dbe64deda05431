// Reading a Partner Center file (SPEC §12.2) into sums per (tenant, currency,
// month, service or product, invoice): a stream through csv-parse (RFC 4180
// quoting, BOM, CRLF), one row at a time, so a 1 GB daily usage file never
// sits in memory; only the sums do, and they are as many as the file has
// distinct tenants × months × services × invoices. Nothing here knows the
// store: which tenants are customers and which currency they are billed in
// is decided afterwards (import.ts), so a bad line deep in the file can
// still refuse the whole file before anything is written.
import { isUtf8 } from 'node:buffer';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { detectKindOrMissing } from './detect.js';
import { KIND_COLUMNS, type FileKind } from './columns.js';
import { compileMatcher, type ServiceMatch } from './match.js';
import { monthOf, parseDec, pow10, Sum, type Dec } from './numbers.js';

/** A structural error: the file is refused whole. Line and column are 1-based. */
export class ReconciliationFileError extends Error {
  constructor(
    readonly line: number,
    readonly column: number | null,
    readonly columnName: string | null,
    readonly detail: string,
  ) {
    super(`line ${line}${column !== null ? `, column ${column}${columnName ? ` (${columnName})` : ''}` : ''}: ${detail}`);
    this.name = 'ReconciliationFileError';
  }
}

/** The lines of one (tenant, currency, month, service or product, invoice). */
export interface LineGroup {
  readonly tenant: string; // CustomerId, lower case
  readonly currency: string;
  readonly period: string; // YYYY-MM
  readonly service: string | null; // null: no service matched
  readonly productName: string; // the first line's, for the unmatched report
  readonly invoice: string; // InvoiceNumber, or "unbilled"
  lines: number;
  readonly cost: Sum;
  /** null once a line of the group lacked the columns retail is computed from. */
  retail: Sum | null;
}

export interface FileReading {
  readonly kind: FileKind;
  readonly lines: number; // data lines (the header not counted)
  readonly groups: readonly LineGroup[];
  /** CustomerName per tenant, as the file first wrote it. */
  readonly customerNames: ReadonlyMap<string, string>;
}

export interface ReadOptions {
  /** The plan's services in file order (those with `match` take lines). */
  readonly services: Iterable<{ readonly id: string; readonly match?: ServiceMatch | undefined }>;
  /** Called with the bytes read so far, at most every 64 KiB chunk. */
  readonly onBytes?: (bytes: number) => void;
}

/** Reads a whole file from a byte stream. Throws ReconciliationFileError. */
export async function readPartnerCenter(source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream, opts: ReadOptions): Promise<FileReading> {
  let state: Reader | null = null;
  let lines = 0;
  let prevEnd = 0; // the line the previous record ended on
  let prevEmpty = 0;
  let bytes = 0;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    on_record: (record: string[], ctx) => {
      // a record starts after the previous one and the empty lines skipped since
      const start = prevEnd + 1 + (ctx.empty_lines - prevEmpty);
      prevEnd = ctx.lines;
      prevEmpty = ctx.empty_lines;
      if (state === null) state = new Reader(record, opts);
      else {
        lines++;
        state.row(record, start);
      }
      return null; // nothing goes downstream: the sums are the result
    },
  });
  // Bytes are checked as UTF-8 on the way (a file saved again by a spreadsheet
  // in a legacy code page would otherwise be read as U+FFFD, silently).
  let line = 1; // the line the next byte is on
  let carry: Buffer | null = null; // an unfinished UTF-8 sequence at a chunk's end
  const counted = async function* (src: AsyncIterable<Buffer | string>) {
    for await (const chunk of src) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const all: Buffer = carry ? Buffer.concat([carry, buf]) : buf;
      const tail = unfinishedTail(all);
      const body = tail > 0 ? all.subarray(0, all.length - tail) : all;
      if (!isUtf8(body)) throw notUtf8(line + newlines(body, firstInvalid(body)));
      line += newlines(body, body.length);
      carry = tail > 0 ? Buffer.from(all.subarray(all.length - tail)) : null;
      bytes += buf.length;
      opts.onBytes?.(bytes);
      yield buf;
    }
    if (carry) throw notUtf8(line);
  };
  try {
    await pipeline(source as AsyncIterable<Buffer>, counted, parser, new Writable({ objectMode: true, write: (_c, _e, cb) => cb() }));
  } catch (err) {
    if (err instanceof ReconciliationFileError) throw err;
    if (err instanceof CsvError) {
      const info = err as CsvError & { lines?: number; index?: number };
      throw new ReconciliationFileError(info.lines ?? prevEnd + 1, null, null, `not RFC 4180 CSV: ${err.message.replace(/\s*at line \d+$/, '')}`);
    }
    throw err;
  }
  if (state === null) throw new ReconciliationFileError(1, null, null, 'the file is empty: a Partner Center file starts with its header row');
  const r = state as Reader;
  return { kind: r.kind, lines, groups: [...r.groups.values()], customerNames: r.names };
}

const notUtf8 = (line: number): ReconciliationFileError =>
  new ReconciliationFileError(line, null, null, 'the file is not UTF-8 (saved again in another encoding?): use the file as Partner Center gave it');

/** How many line feeds are in buf before `end`. */
function newlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Bytes at the end of buf that start a UTF-8 sequence the next chunk completes (0 when none). */
function unfinishedTail(buf: Buffer): number {
  for (let k = 1; k <= 3 && k <= buf.length; k++) {
    const b = buf[buf.length - k]!;
    if (b < 0x80) return 0; // ASCII: nothing unfinished
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > k ? k : 0;
    }
  }
  return 0;
}

/** Offset of the first byte of buf that breaks UTF-8 (only called once isUtf8 said no). */
function firstInvalid(buf: Buffer): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const need = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (need === 0 || !isUtf8(buf.subarray(i, i + need))) return i;
    i += need;
  }
  return buf.length;
}

class Reader {
  readonly kind: FileKind;
  readonly groups = new Map<string, LineGroup>();
  readonly names = new Map<string, string>();
  private readonly header: readonly string[];
  private readonly col: (name: string) => number;
  private readonly iCustomer: number;
  private readonly iName: number;
  private readonly iDate: number;
  private readonly iCost: number;
  private readonly iCurrency: number;
  private readonly iInvoice: number;
  private readonly iProduct: number;
  private readonly iUnitPrice: number;
  private readonly iQuantity: number;
  private readonly iEffective: number;
  private readonly iRate: number;
  private readonly matcher: ReturnType<typeof compileMatcher>;
  private readonly months = new Map<string, string>();

  constructor(header: string[], opts: ReadOptions) {
    this.header = header.map((h) => h.trim());
    const index = new Map<string, number>();
    this.header.forEach((h, i) => {
      if (!index.has(h)) index.set(h, i);
    });
    const found = detectKindOrMissing(this.header);
    if ('missing' in found) {
      throw new ReconciliationFileError(1, null, found.missing, found.message);
    }
    this.kind = found.kind;
    const k = KIND_COLUMNS[this.kind];
    this.col = (name) => index.get(name) ?? -1;
    this.iCustomer = this.col('CustomerId');
    this.iName = this.col('CustomerName');
    this.iDate = this.col(k.date);
    this.iCost = this.col(k.cost);
    this.iCurrency = this.col(k.currency);
    this.iInvoice = this.col(k.invoice);
    this.iProduct = this.col('ProductName');
    this.iUnitPrice = this.col('UnitPrice');
    this.iQuantity = this.col(this.kind === 'invoice' ? 'BillableQuantity' : 'Quantity');
    this.iEffective = this.col('EffectiveUnitPrice');
    this.iRate = this.col('PCToBCExchangeRate');
    this.matcher = compileMatcher(opts.services, index);
  }

  private fail(line: number, i: number, detail: string): never {
    throw new ReconciliationFileError(line, i + 1, this.header[i] ?? null, detail);
  }

  private num(row: readonly string[], i: number, line: number): Dec {
    const text = row[i]!;
    const d = parseDec(text);
    if (d === null) this.fail(line, i, `${JSON.stringify(text)} is not a number`);
    return d;
  }

  /** A cell retail is computed from: absent column or empty cell is undefined, a bad number is an error. */
  private optNum(row: readonly string[], i: number, line: number): Dec | undefined {
    if (i < 0 || row[i] === '') return undefined;
    return this.num(row, i, line);
  }

  row(row: string[], line: number): void {
    const dateText = row[this.iDate]!;
    let period = this.months.get(dateText);
    if (period === undefined) {
      const m = monthOf(dateText);
      if (m === null) this.fail(line, this.iDate, `${JSON.stringify(dateText)} is not a date (M/D/YYYY or YYYY-MM-DD)`);
      period = m;
      if (this.months.size < 10_000) this.months.set(dateText, period);
    }
    const cost = this.num(row, this.iCost, line);
    let invoice = this.iInvoice >= 0 ? row[this.iInvoice]! : '';
    if (invoice === '') {
      if (this.kind === 'invoice') this.fail(line, this.iInvoice, 'an invoice file line has no InvoiceNumber');
      invoice = 'unbilled';
    }
    // retail (§12.2), exact: n / d
    let rn: bigint | null = null;
    let rd = 1n;
    const unit = this.optNum(row, this.iUnitPrice, line);
    const qty = this.optNum(row, this.iQuantity, line);
    const rate = this.optNum(row, this.iRate, line);
    if (this.kind === 'daily') {
      if (unit && qty && rate) {
        rn = unit.units * qty.units * rate.units;
        rd = pow10(unit.scale + qty.scale + rate.scale);
      }
    } else {
      const eff = this.optNum(row, this.iEffective, line);
      if (unit && eff && eff.units !== 0n) {
        // Subtotal × UnitPrice / EffectiveUnitPrice keeps a prorated licence line's proration
        rn = cost.units * unit.units * pow10(eff.scale);
        rd = pow10(cost.scale + unit.scale) * eff.units;
        if (rd < 0n) {
          rn = -rn;
          rd = -rd;
        }
      } else if (unit && eff && qty && rate) {
        rn = unit.units * qty.units * rate.units;
        rd = pow10(unit.scale + qty.scale + rate.scale);
      }
    }
    const tenant = (row[this.iCustomer] ?? '').toLowerCase();
    const currency = row[this.iCurrency]!;
    const service = this.matcher.service(row);
    const product = this.iProduct >= 0 ? row[this.iProduct]! : '';
    const key = `${tenant}\u0000${currency}\u0000${period}\u0000${service ?? '\u0001' + product}\u0000${invoice}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { tenant, currency, period, service, productName: product, invoice, lines: 0, cost: new Sum(), retail: new Sum() };
      this.groups.set(key, g);
      if (!this.names.has(tenant)) this.names.set(tenant, this.iName >= 0 ? row[this.iName]! : '');
    }
    g.lines++;
    g.cost.addDec(cost.units, cost.scale);
    if (rn === null) g.retail = null;
    else g.retail?.addFrac(rn, rd);
  }
}
