// Reading records for `tierbook import`: NDJSON (one object per line), a JSON
// document (an array of objects, or one object) or CSV with a header row
// (RFC 4180 quoting). Every record keeps the line it started on, and every
// problem of the file is reported with its line (and column where known), all
// of them at once, before anything is validated or written.
import { jsonSyntaxError, parseJson, position } from './quote-input.js';
import { ERR, TierbookError } from '../errors.js';

export interface FileRecord {
  readonly line: number;
  readonly value: unknown;
}

export interface FileProblem {
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

/** A file that cannot be read as records: the registry's INVALID_RECORDS_FILE (exit 1), every problem with its line. */
export class RecordsFileError extends TierbookError<'INVALID_RECORDS_FILE'> {
  override readonly name = 'RecordsFileError';
  constructor(readonly problems: readonly FileProblem[]) {
    const message = problems[0]?.message ?? 'unreadable records file';
    super('INVALID_RECORDS_FILE', message, ERR.INVALID_RECORDS_FILE.status, ERR.INVALID_RECORDS_FILE.exit, { detail: message });
  }
  get line(): number {
    return this.problems[0]?.line ?? 1;
  }
}

export type RecordsFormat = 'csv' | 'ndjson' | 'json';

const BOM = '\uFEFF';

/** By extension, else by the first character: `[` a JSON array, `{` NDJSON (or one pretty-printed object), else CSV. */
export function formatOf(file: string, text: string): RecordsFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  const first = /^[\s\uFEFF]*(.)/.exec(text.slice(0, 4096))?.[1];
  if (first === '[') return 'json';
  if (first === '{') return jsonSyntaxError(text.replace(/^\uFEFF/, '')) === null ? 'json' : 'ndjson';
  return /\.json$/i.test(file) ? 'json' : 'csv';
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const NOT_OBJECT = 'not a JSON object (each record is an object: {"id": …})';

export function readNdjson(text: string): FileRecord[] {
  const out: FileRecord[] = [];
  const problems: FileProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    // a BOM on the first line and a CR before the newline are not part of the record
    const line = (i === 0 && raw.startsWith(BOM) ? raw.slice(1) : raw).replace(/\r$/, '');
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    if (!parsed.ok) problems.push({ line: i + 1, column: parsed.column, message: parsed.message });
    else if (!isObject(parsed.value)) problems.push({ line: i + 1, column: line.length - line.trimStart().length + 1, message: NOT_OBJECT });
    else out.push({ line: i + 1, value: parsed.value });
  });
  if (problems.length > 0) throw new RecordsFileError(problems);
  return out;
}

/** A JSON document: an array of records (each on the line its element starts) or one record. */
export function readJson(text: string): FileRecord[] {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new RecordsFileError([{ line: parsed.line, column: parsed.column, message: parsed.message }]);
  const value = parsed.value;
  const start = text.length - text.replace(/^[\s\uFEFF]+/, '').length;
  if (isObject(value)) return [{ line: position(text, start).line, value }];
  if (!Array.isArray(value)) throw new RecordsFileError([{ ...position(text, start), message: 'not a JSON array of records or a JSON object' }]);
  const offsets = itemOffsets(text, start);
  const out: FileRecord[] = [];
  const problems: FileProblem[] = [];
  value.forEach((v, k) => {
    const at = position(text, offsets[k] ?? start);
    if (isObject(v)) out.push({ line: at.line, value: v });
    else problems.push({ ...at, message: `record ${k + 1}: ${NOT_OBJECT}` });
  });
  if (problems.length > 0) throw new RecordsFileError(problems);
  return out;
}

/** Offsets where the elements of the (valid) top-level JSON array at `start` begin. */
function itemOffsets(text: string, start: number): number[] {
  const out: number[] = [];
  let depth = 0;
  let expectItem = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      if (expectItem && depth === 1) out.push(i);
      expectItem = false;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (expectItem && depth === 1) out.push(i);
      expectItem = depth === 0 && c === '[';
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
      expectItem = false;
    } else if (c === ',') expectItem = depth === 1;
    else if (!/\s/.test(c) && expectItem && depth === 1) {
      out.push(i);
      expectItem = false;
    }
  }
  return out;
}

interface CsvRow {
  readonly line: number;
  readonly cells: string[];
  /** where each cell starts */
  readonly at: { line: number; column: number }[];
}

/** CSV rows as arrays of cells, each with the line it starts on. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let at: { line: number; column: number }[] = [];
  let cell = '';
  let quoted = false;
  let closed = false; // a quoted cell just ended: only a separator may follow
  let line = 1;
  let lineStart = 0;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM from spreadsheet exports
  let cellAt = { line: 1, column: 1 };
  const startCell = (k: number) => {
    cellAt = { line, column: k - lineStart + 1 };
  };
  startCell(i);
  const endRow = (): void => {
    cells.push(cell);
    at.push(cellAt);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) rows.push({ line: rowLine, cells, at });
    cells = [];
    at = [];
    cell = '';
    closed = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        // lines end at CRLF, CR or LF inside a quoted cell as outside it (one numbering for every message)
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
          line++;
          lineStart = i + 1;
        }
        cell += ch;
      }
    } else if (ch === ',') {
      cells.push(cell);
      at.push(cellAt);
      cell = '';
      closed = false;
      startCell(i + 1);
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      lineStart = i + 1;
      rowLine = line;
      startCell(i + 1);
    } else if (closed) {
      throw new RecordsFileError([{ line, column: i - lineStart + 1, message: `unexpected ${JSON.stringify(ch)} after a closing quote (a quote inside a quoted cell is written "")` }]);
    } else if (ch === '"' && cell === '') quoted = true;
    else cell += ch;
  }
  if (quoted) throw new RecordsFileError([{ ...cellAt, message: 'unterminated quoted cell (it starts here)' }]);
  if (cell !== '' || cells.length > 0 || closed) endRow();
  return rows;
}

const INTEGER_FIELDS = new Set(['value', 'minutes', 'quantity']);
const BOOLEAN_FIELDS = new Set(['serviceIncident', 'billable']);
const JSON_FIELDS = new Set(['quantities', 'prices']);

/** CSV into objects: empty cells are absent; numbers, booleans and JSON cells typed by column. */
export function readCsv(text: string): FileRecord[] {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const head = rows[0]!;
  const header = head.cells.map((h) => h.trim());
  const problems: FileProblem[] = [];
  header.forEach((h, k) => {
    if (h === '') problems.push({ ...head.at[k]!, message: `column ${k + 1} of the header has no name` });
    else if (header.indexOf(h) !== k) problems.push({ ...head.at[k]!, message: `column "${h}" appears twice in the header` });
  });
  if (problems.length > 0) throw new RecordsFileError(problems);
  const out: FileRecord[] = [];
  for (const { line, cells, at } of rows.slice(1)) {
    if (cells.length > header.length) {
      problems.push({ ...at[header.length]!, message: `${cells.length} cells but the header has ${header.length} columns` });
      continue;
    }
    const o: Record<string, unknown> = {};
    header.forEach((h, k) => {
      const raw = cells[k];
      if (raw === undefined || raw === '') return;
      let v: unknown = raw;
      const trimmed = raw.trim();
      // an integer too large to be exact stays text, so the schema rejects it instead of storing a rounded number
      if (INTEGER_FIELDS.has(h) && /^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))) v = Number(trimmed);
      else if (BOOLEAN_FIELDS.has(h) && /^(true|false)$/i.test(trimmed)) v = trimmed.toLowerCase() === 'true';
      else if (JSON_FIELDS.has(h)) {
        const parsed = parseJson(raw);
        if (!parsed.ok) {
          problems.push({ ...at[k]!, message: `column ${h}: ${parsed.message} (at ${parsed.line}:${parsed.column} of the cell)` });
          return;
        }
        v = parsed.value;
      }
      // defined, not assigned: a "__proto__" column becomes a field the schema rejects, never the prototype
      Object.defineProperty(o, h, { value: v, enumerable: true, writable: true, configurable: true });
    });
    out.push({ line, value: o });
  }
  if (problems.length > 0) throw new RecordsFileError(problems);
  return out;
}

export function readRecords(file: string, text: string): FileRecord[] {
  const format = formatOf(file, text);
  return format === 'csv' ? readCsv(text) : format === 'json' ? readJson(text) : readNdjson(text);
}
