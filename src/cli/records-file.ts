// Reading records for `tierbook import`: NDJSON (one object per line) or CSV
// with a header row (RFC 4180 quoting). Every record keeps the line it
// started on, for the error report.
export interface FileRecord {
  readonly line: number;
  readonly value: unknown;
}

export class RecordsFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'RecordsFileError';
  }
}

export function isCsv(file: string, text: string): boolean {
  if (/\.csv$/i.test(file)) return true;
  if (/\.(nd)?jsonl?$/i.test(file)) return false;
  return !/^\s*[{[]/.test(text);
}

export function readNdjson(text: string): FileRecord[] {
  const out: FileRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.push({ line: i + 1, value: JSON.parse(line) });
    } catch {
      throw new RecordsFileError(i + 1, 'not a JSON object');
    }
  });
  return out;
}

/** CSV rows as arrays of cells, each with the line it starts on. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM from spreadsheet exports
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw new RecordsFileError(rowLine, 'unterminated quoted cell');
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

const INTEGER_FIELDS = new Set(['value', 'minutes']);
const BOOLEAN_FIELDS = new Set(['serviceIncident']);
const JSON_FIELDS = new Set(['quantities']);

/** CSV into objects: empty cells are absent; numbers, booleans and JSON cells typed by column. */
export function readCsv(text: string): FileRecord[] {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const header = rows[0]!.cells.map((h) => h.trim());
  return rows.slice(1).map(({ line, cells }) => {
    if (cells.length > header.length) throw new RecordsFileError(line, `${cells.length} cells but the header has ${header.length} columns`);
    const o: Record<string, unknown> = {};
    header.forEach((h, k) => {
      const raw = cells[k];
      if (raw === undefined || raw === '') return;
      if (INTEGER_FIELDS.has(h) && /^-?\d+$/.test(raw.trim())) o[h] = Number(raw.trim());
      else if (BOOLEAN_FIELDS.has(h) && /^(true|false)$/i.test(raw.trim())) o[h] = raw.trim().toLowerCase() === 'true';
      else if (JSON_FIELDS.has(h)) {
        try {
          o[h] = JSON.parse(raw);
        } catch {
          throw new RecordsFileError(line, `column ${h}: not JSON`);
        }
      } else o[h] = raw;
    });
    return { line, value: o };
  });
}

export function readRecords(file: string, text: string): FileRecord[] {
  return isCsv(file, text) ? readCsv(text) : readNdjson(text);
}
