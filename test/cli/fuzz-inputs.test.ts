// Fuzz of every CLI input format (issue 8 item 4): the NDJSON lines of
// `tierbook evaluate`, the records files of `tierbook import` (NDJSON, JSON,
// CSV) and the JSON of `tierbook quote`. Random and mutated-valid inputs
// (truncation, wrong types, huge numbers, bad UTF-8, BOM, __proto__ keys, CSV
// quoting and formula cells, blank lines) must each give a positioned error,
// exit 1 and never a crash; `import` must write nothing when a record is bad.
// The many random cases call the parsers in-process; a few runs go through the
// real CLI in a child process.
import t from 'tap';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseQuote, quoteStatement } from '../../src/billing/quote.js';
import { BillingError } from '../../src/billing/statement.js';
import type { Plan } from '../../src/plans/types.js';
import { evaluate } from '../../src/rules/evaluate.js';
import { parseRequest } from '../../src/rules/request.js';
import { answerLine, loadPlans, type LineEngine } from '../../src/cli/evaluate.js';
import { runImport } from '../../src/cli/import-run.js';
import { decodeUtf8, jsonSyntaxError, locate, parseJson } from '../../src/cli/quote-input.js';
import { formatOf, readRecords, RecordsFileError } from '../../src/cli/records-file.js';
import { openSqlite } from '../../src/store/sqlite.js';

t.setTimeout(300_000);

// the test's own copy of the SPEC's contoso plan (issue 21 item 17: tests do not read the examples in plans/)
const PLANS = path.resolve('test/render/plans');
const dir = mkdtempSync(path.join(tmpdir(), 'tierbook-fuzz-inputs-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------- generators

const QUOTE_TEXT = readFileSync('docs/examples/quote-standard.json', 'utf8');
const REQUEST = { partner: 'contoso', offering: 'standard', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-11-24T17:30:00-05:00' };
const CUSTOMERS = [
  { id: 'acme', name: 'Acme', taxRate: '8%' },
  { id: 'fabrikam', name: 'Fabrikam, "the" best', locale: 'zh-CN' },
  { id: 'litware', name: 'Litware', email: 'ap@litware.example' },
];

/** Values a careless or hostile file may hold where something else belongs. */
const weird = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 1e400 as number, -1, 0.1, '', ' ', 'x'.repeat(3000), '9'.repeat(400), '=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1)', '\u0000', '\uD800', '\uFEFF', '2026-02-30', null, true, [], {}, { __proto__: null }),
);

const POISON_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A valid JSON object changed in one place: a field replaced or removed, or a poisoned key added (as text, so `__proto__` is a real key). */
function mutateObject(base: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(base);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), weird).map(([k, v]) => JSON.stringify({ ...base, [k]: v })),
    fc.constantFrom(...keys).map((k) => JSON.stringify(Object.fromEntries(Object.entries(base).filter(([x]) => x !== k)))),
    fc.tuple(fc.constantFrom(...POISON_KEYS), weird).map(([k, v]) => `{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'},${JSON.stringify(base).slice(1)}`),
  );
}

const NASTY_CHARS = ['"', "'", '{', '}', '[', ']', ',', ':', '\\', '\n', '\r', '\r\n', '\t', '\u0000', '\uFEFF', '\uD800', '\u2028', '=', '"",', '\u00e9', '\u{1F600}'];

/** Text-level damage: truncation, a character inserted, deleted or doubled, a BOM, a blank line. */
function damage(text: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: Math.max(0, text.length) });
  return fc.oneof(
    at.map((i) => text.slice(0, i)),
    fc.tuple(at, fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.string({ maxLength: 3 }))).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    at.map((i) => text.slice(0, i) + text.slice(i + 1)),
    fc.tuple(at, at).map(([i, j]) => text.slice(0, Math.max(i, j)) + text.slice(Math.min(i, j))),
    fc.constant('\uFEFF' + text),
    fc.constant(text.replace('\n', '\n\n  \n')),
  );
}

const randomText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.json(), fc.constantFrom('', '\n', '\uFEFF', '[', '{', '"', 'null', '[]', '{}', '1e999', '-', '[' .repeat(10000), '{"a":'.repeat(3000)));

// ---------------------------------------------------------------- checks

// Checks throw (never t.fail inside a property): fast-check then sees the
// failure, shrinks the input to a small counterexample and reports it with
// the seed and path to replay.
function fail(message: string, extra?: Record<string, unknown>): never {
  throw new Error(extra === undefined ? message : `${message} ${JSON.stringify(extra)}`);
}

/**
 * A position that points into `text` (1-based line and column, column at most
 * one past the line's end). Lines end where the reader ends them: CSV at
 * CRLF, a lone CR or LF (as the importer counts); JSON and NDJSON at LF only.
 */
function inBounds(text: string, line: number, column: number | undefined, what: string, csv = false): void {
  const lines = text.split(csv ? /\r\n|\r|\n/ : '\n');
  const ok = Number.isInteger(line) && line >= 1 && line <= lines.length && (column === undefined || (Number.isInteger(column) && column >= 1 && column <= lines[line - 1]!.length + 2));
  if (!ok) fail(`${what}: position ${line}:${column} outside the text (${lines.length} lines)`, { text: text.slice(0, 300) });
}

/** Messages are for people: one line, short, no stack, no echo of a huge input. */
function clearMessage(message: unknown, what: string, maxLength = 600): void {
  if (typeof message !== 'string' || message === '' || message.length > maxLength || /\n\s+at /.test(message)) fail(`${what}: unclear message`, { message: String(message).slice(0, 700) });
}

/** Fixed by default, so npm test is repeatable; FUZZ_SEED=<n> explores others. A failure names the seed. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const replayable = (err: unknown): never => {
  const cause = (err as Error).cause as Error | undefined;
  throw new Error(`${(err as Error).message}${cause ? `\nGot: ${cause.stack ?? cause.message}` : ''}\n(seed ${SEED}: rerun with FUZZ_SEED=${SEED})`);
};
const prop = <T>(arb: fc.Arbitrary<T>, check: (v: T) => void, numRuns: number): void => {
  try {
    fc.assert(fc.property(arb, check), { numRuns, seed: SEED });
  } catch (err) {
    replayable(err);
  }
};

// ---------------------------------------------------------------- quote

t.test('quote input: JSON errors are positioned, the scanner agrees with JSON.parse', async (t) => {
  prop(
    fc.oneof(randomText, damage(QUOTE_TEXT)),
    (text) => {
      const body = text.replace(/^\uFEFF/, '');
      let valid = true;
      try {
        JSON.parse(body);
      } catch {
        valid = false;
      }
      if ((jsonSyntaxError(body) === null) !== valid) fail('the scanner and JSON.parse disagree', { text: body.slice(0, 200) });
      const r = parseJson(text);
      if (r.ok !== valid) fail('parseJson ok iff JSON.parse accepts', { text: text.slice(0, 200) });
      if (!r.ok) {
        inBounds(text, r.line, r.column, 'parseJson');
        clearMessage(r.message, 'parseJson');
      }
    },
    400,
  );
  // a pointed example: the error of `{"a":}` is at the brace, not at the end
  t.match(parseJson('{\n  "a": }\n'), { ok: false, line: 2, column: 8, message: "invalid JSON: unexpected '}' (expected a value)" });
  t.match(parseJson('\uFEFF{"a": 1'), { ok: false, line: 1, column: 9 });
});

t.test('quote documents: mutated fields give positioned errors or a statement, never a crash', async (t) => {
  const plan = (await loadPlans(PLANS))!.byPartner.get('contoso') as Plan;
  const doc = JSON.parse(QUOTE_TEXT) as Record<string, unknown>;
  const sub0 = (doc.subscriptions as Record<string, unknown>[])[0]!;
  const req0 = (doc.requests as Record<string, unknown>[])[0]!;
  const arb = fc.oneof(
    mutateObject(doc),
    mutateObject(sub0).map((s) => JSON.stringify({ ...doc, subscriptions: [JSON.parse(s), ...(doc.subscriptions as unknown[]).slice(1)] }, null, 2)),
    mutateObject(req0).map((r) => JSON.stringify({ ...doc, requests: [JSON.parse(r), ...(doc.requests as unknown[]).slice(1)] }, null, 2)),
    mutateObject(doc.customer as Record<string, unknown>).map((c) => JSON.stringify({ ...doc, customer: JSON.parse(c) }, null, 2)),
  );
  let statements = 0;
  let longMessages = 0;
  prop(
    arb,
    (text) => {
      const parsed = parseJson(text);
      if (!parsed.ok) return;
      const q = parseQuote(parsed.value);
      if (!q.ok) {
        for (const e of q.errors) {
          if (e.field !== '' && !e.field.startsWith('/')) fail(`not a pointer: ${e.field}`);
          const pos = locate(text, e.field);
          if (!pos) fail(`no position for ${e.field}`, { text: text.slice(0, 300) });
          else inBounds(text, pos.line, pos.column, e.field);
          // parseQuote (src/billing/quote.ts) quotes the whole offending value, so a
          // 3000-character value makes a 3000-character message: one line, no stack, but long
          clearMessage(e.message, e.field, 10_000);
          if (e.message.length > 600) longMessages++;
        }
        return;
      }
      try {
        const s = quoteStatement(q.value, plan);
        if (!/^-?\d+(\.\d+)?$/.test(s.total)) fail(`total ${s.total} is not a decimal`);
        statements++;
      } catch (e) {
        if (!(e instanceof BillingError)) throw e;
        clearMessage(e.message, 'BillingError');
      }
    },
    80,
  );
  if (longMessages > 0) t.comment(`${longMessages} quote error(s) echo a value of more than 600 characters (src/billing/quote.ts)`);
  t.ok(({} as Record<string, unknown>).polluted === undefined, 'no prototype pollution');
  t.ok(statements > 0, `some mutations still quote (${statements})`);
});

// ---------------------------------------------------------------- evaluate

t.test('evaluate lines: every line answered, errors name the line (and column), never a throw', async (t) => {
  const plans = (await loadPlans(PLANS))!;
  const engine: LineEngine = { plans, plansDir: PLANS, evaluate, parseRequest, parseJson };
  const valid = JSON.stringify(REQUEST);
  prop(
    fc.tuple(fc.oneof(randomText, mutateObject(REQUEST), damage(valid)), fc.integer({ min: 1, max: 100_000 })),
    ([line, n]) => {
      const { text, failed } = answerLine(line, n, engine);
      const blank = (n === 1 ? line.replace(/^\uFEFF/, '') : line).trim() === '';
      if (blank) {
        if (text !== '' || failed) fail('a blank line answers a blank line');
        return;
      }
      if (text.includes('\n')) fail('one output line per input line');
      const out = JSON.parse(text) as { error?: { line: number; column?: number; field: string | null; message: string }; accepted?: boolean };
      if (failed !== (out.error !== undefined)) fail('failed iff an error object');
      if (out.error) {
        if (out.error.line !== n) fail(`error names line ${out.error.line}, not ${n}`);
        if (out.error.column !== undefined) inBounds(line.replace(/^\uFEFF/, ''), 1, out.error.column, 'evaluate column');
        clearMessage(out.error.message, 'evaluate');
      } else if (typeof out.accepted !== 'boolean') fail('a decision has accepted');
    },
    400,
  );
  t.match(JSON.parse(answerLine('\uFEFF' + valid, 1, engine).text), { accepted: Boolean }, 'a BOM on the first line is skipped');
  t.match(JSON.parse(answerLine('{"partner": "contoso",', 7, engine).text), { error: { line: 7, column: 23, field: null, message: /^not JSON: unexpected end of input/ } });
  t.ok(({} as Record<string, unknown>).polluted === undefined, 'no prototype pollution');
});

// ---------------------------------------------------------------- records files

const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const csvCell = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (rows: Record<string, unknown>[]) => {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [cols.join(','), ...rows.map((r) => cols.map((c) => (r[c] === undefined ? '' : csvCell(r[c]))).join(','))].join('\r\n') + '\r\n';
};

/** A records file of one format with one record mutated: [file name, text]. */
const recordsFile = fc.oneof(
  fc.tuple(fc.nat({ max: 2 }), mutateObject(CUSTOMERS[0]!)).map(([k, bad]) => ['c.ndjson', ndjson(CUSTOMERS.slice(0, k)) + bad + '\n' + ndjson(CUSTOMERS.slice(k))] as const),
  fc.tuple(fc.nat({ max: 2 }), mutateObject(CUSTOMERS[1]!)).map(([k, bad]) => ['c.json', `[\n${[...CUSTOMERS.slice(0, k).map((c) => JSON.stringify(c)), bad, ...CUSTOMERS.slice(k).map((c) => JSON.stringify(c))].join(',\n  ')}\n]\n`] as const),
  fc.tuple(fc.constantFrom(...CUSTOMERS.map((_, k) => k)), fc.constantFrom('id', 'name', 'taxRate', 'locale', 'email', '__proto__', 'constructor'), weird).map(([k, col, v]) => {
    const rows = CUSTOMERS.map((c, i) => (i === k ? { ...c, [col]: v } : { ...c }));
    return ['c.csv', csv(rows)] as const;
  }),
  damage(ndjson(CUSTOMERS)).map((s) => ['c.ndjson', s] as const),
  damage(JSON.stringify(CUSTOMERS, null, 2)).map((s) => ['c.json', s] as const),
  damage(csv(CUSTOMERS)).map((s) => ['c.csv', s] as const),
  randomText.map((s) => ['c.txt', s] as const),
);

t.test('records files: objects with their lines, or every problem positioned', async (t) => {
  prop(
    recordsFile,
    ([file, text]) => {
      try {
        const rows = readRecords(file, text);
        for (const r of rows) {
          inBounds(text.replace(/^\uFEFF/, ''), r.line, undefined, `${file} record`, formatOf(file, text) === 'csv');
          if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) fail('a record is an object');
        }
      } catch (e) {
        if (!(e instanceof RecordsFileError)) throw e;
        if (e.problems.length === 0) fail('a file error has problems');
        for (const p of e.problems) {
          inBounds(text, p.line, p.column, `${file} problem`, formatOf(file, text) === 'csv');
          clearMessage(p.message, file);
        }
      }
    },
    500,
  );
  t.ok(({} as Record<string, unknown>).polluted === undefined, 'no prototype pollution');
});

t.test('records files: what the fuzzer found, pinned', async (t) => {
  const problems = (file: string, text: string) => {
    try {
      readRecords(file, text);
      return [];
    } catch (e) {
      return (e as RecordsFileError).problems.map((p) => `${p.line}:${p.column ?? ''} ${p.message}`);
    }
  };
  // a JSON array of records (was: "not a JSON object" at line 1)
  t.same(
    readRecords('c.json', '[\n  {"id": "a", "name": "A"},\n  {"id": "b",\n   "name": "B"}\n]').map((r) => r.line),
    [2, 3],
  );
  t.same(problems('c.json', '[\n  {"id": "a"},\n  5\n]'), ['3:3 record 2: not a JSON object (each record is an object: {"id": …})']);
  // every bad NDJSON line, with its column (was: only the first, "not a JSON object")
  t.same(problems('c.ndjson', '{"id": "a"}\n{"id": }\n\n[1]\n{"id": "b"'), [
    "2:8 invalid JSON: unexpected '}' (expected a value)",
    '4:1 not a JSON object (each record is an object: {"id": …})',
    "5:11 invalid JSON: unexpected end of input (expected ',' or '}')",
  ]);
  // a "__proto__" column set the prototype of the record and vanished (was: silently ignored)
  const [proto] = readRecords('c.csv', 'id,name,__proto__\na,A,{"x":1}\n');
  t.ok(Object.prototype.hasOwnProperty.call(proto!.value, '__proto__'), '__proto__ is a field the schema then rejects');
  t.same(problems('c.csv', 'id,name,id\na,A,b\n'), ['1:9 column "id" appears twice in the header']);
  t.same(problems('c.csv', 'id,,name\na,,A\n'), ['1:4 column 2 of the header has no name']);
  t.same(problems('c.csv', 'id,name\na,"A"x\n'), ['2:6 unexpected "x" after a closing quote (a quote inside a quoted cell is written "")']);
  t.same(problems('c.csv', 'id,name\na,b\nc,"d\n\ne\n'), ['3:3 unterminated quoted cell (it starts here)']);
  // a lone CR ends a CSV line, inside a quoted cell too, and positions count it (the fuzzer's checker once counted LF only)
  const cr = 'id,name\ra,"A\rB"x\n';
  t.same(problems('c.csv', cr), ['3:3 unexpected "x" after a closing quote (a quote inside a quoted cell is written "")']);
  t.doesNotThrow(() => inBounds(cr, 3, 3, 'lone CR', true));
  t.throws(() => inBounds(cr, 3, 3, 'lone CR', false), /outside the text/, 'LF-only counting is wrong for CSV');
  // a huge integer stays text, so the schema names it instead of storing a rounded number
  t.same(readRecords('w.csv', 'minutes\n99999999999999999999\n12\n').map((r) => r.value), [{ minutes: '99999999999999999999' }, { minutes: 12 }]);
  t.same(readRecords('c.csv', 'id,name\n   \na,=1+2\n').map((r) => [r.line, r.value]), [[3, { id: 'a', name: '=1+2' }]], 'a formula cell is text; a whitespace line is blank');
  t.match(decodeUtf8(Buffer.from('id,name\na,caf\xe9\n', 'latin1')), { ok: false, line: 2, column: 6, message: 'invalid UTF-8: byte 0xe9' });
  t.match(decodeUtf8(Buffer.from('\ufeffid', 'utf16le')), { ok: false, line: 1, column: 1, message: /UTF-16/ });
});

// ---------------------------------------------------------------- import, in process

const db = path.join(dir, 'import.db');
const counts = async (): Promise<Record<string, number>> => {
  const store = await openSqlite(db);
  try {
    const n = (table: string) => (store.client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { customers: n('customers'), subscriptions: n('subscriptions'), spend: n('spend') };
  } finally {
    await store.close();
  }
};

/** runImport with stderr captured (stdout is tap's: import writes nothing there). */
async function importFile(kind: 'customers' | 'subscriptions' | 'spend', file: string, bytes: string | Buffer): Promise<{ code: number; err: string }> {
  const p = path.join(dir, file);
  writeFileSync(p, bytes);
  let err = '';
  const write = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    err += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await runImport(kind, p, { db, plans: PLANS, partner: 'contoso' }), err };
  } finally {
    process.stderr.write = write;
  }
}

/** Every error line names the file and a line; the last says nothing was imported. */
function positioned(r: { code: number; err: string }, file: string): void {
  const lines = r.err.trimEnd().split('\n');
  if (!/^tierbook import: nothing imported/.test(lines[lines.length - 1]!)) fail('the last line says nothing was imported', { err: r.err });
  const prefix = `${path.join(dir, file)}:`;
  for (const l of lines.slice(0, -1)) if (!l.startsWith(prefix) || !/^\d+(:\d+)?: /.test(l.slice(prefix.length))) fail(`not positioned: ${l}`);
  clearMessage(lines[0], 'import');
}

t.test('import: a bad record anywhere and nothing is written', async (t) => {
  const seed = await importFile('customers', 'seed.ndjson', ndjson([{ id: 'northwind', name: 'Northwind' }]));
  t.equal(seed.code, 0, seed.err);
  let run = 0;
  let before = await counts();
  await fc
    .assert(
    fc.asyncProperty(recordsFile, async ([file, text]) => {
      // fresh ids each run, so a valid file is new records, not a conflict with an earlier run
      const n = ++run;
      const fresh = text.replace(/"(acme|fabrikam|litware)"|\b(acme|fabrikam|litware)\b/g, (m) => m.replace(/(acme|fabrikam|litware)/, `$1-${n}`));
      const r = await importFile('customers', file, fresh);
      const after = await counts();
      if (r.code === 1) {
        if (JSON.stringify(after) !== JSON.stringify(before)) fail('a failed import wrote', { before, after });
        positioned(r, file);
      } else if (r.code === 0) {
        if (after.customers < before.customers) fail('records lost');
      } else fail(`exit ${r.code}`, { err: r.err });
      before = after;
    }),
    { numRuns: 30, seed: SEED },
  )
    .catch(replayable);

  const base = await counts();
  const bad: Array<[kind: 'customers' | 'subscriptions' | 'spend', file: string, content: string | Buffer, message: RegExp]> = [
    ['customers', 'proto.ndjson', '{"id": "p1", "name": "P"}\n{"__proto__": {"polluted": true}, "id": "p2", "name": "P"}\n', /proto\.ndjson:2: INVALID_RECORD: \/: must NOT have additional properties|__proto__/],
    ['customers', 'proto.csv', 'id,name,__proto__\np3,P,{}\n', /proto\.csv:2: .*__proto__/],
    ['customers', 'latin1.csv', Buffer.from('id,name\np4,caf\xe9\n', 'latin1'), /latin1\.csv:2:7: BODY_NOT_UTF8: invalid UTF-8: byte 0xe9/],
    ['customers', 'utf16.csv', Buffer.from('\ufeffid,name\np5,P\n', 'utf16le'), /utf16\.csv:1:1: BODY_NOT_UTF8: invalid UTF-8: byte 0xff \(a UTF-16 file\? save it as UTF-8\)/],
    ['customers', 'array.json', '[\n {"id": "p6", "name": "P"},\n {"id": "p7", "name": 7}\n]\n', /array\.json:3: INVALID_RECORD: \/name: must be a non-empty name without control characters/],
    ['customers', 'cut.ndjson', '{"id": "p8", "name": "P"}\n{"id": "p9", "na', /cut\.ndjson:2:14: INVALID_RECORDS_FILE: invalid JSON: unterminated string \(it starts here\)/],
    ['subscriptions', 'subs.csv', 'id,customer,offering,start,quantities\ns1,northwind,standard,2026-10-01,"[{""metric"":""seats"",""value"":1e999,""from"":""2026-10-01""}]"\n', /subs\.csv:2: INVALID_RECORD: \/quantities\/0\/value: must be integer|subs\.csv:2: INVALID_RECORD: \/quantities\/0\/value/],
    ['spend', 'spend.csv', 'customer,period,service,amount\nnorthwind,2026-10,azure,=1+2\nnorthwind,2026-10,azure,10.00\n', /spend\.csv:2: INVALID_RECORD: \/amount: must be a decimal such as "12\.50" or "-3\.10", got "=1\+2"/],
    ['spend', 'spend.ndjson', '{"customer": "northwind", "period": "2026-10", "service": "azure", "amount": 10.5}\n', /spend\.ndjson:1: INVALID_RECORD: \/amount: must be a decimal string, not a number/],
    ['customers', 'partner.ndjson', '{"partner": 5, "id": "p10", "name": "P"}\n', /partner\.ndjson:1: INVALID_RECORD: \/partner: must be a partner id \(a string\), got 5/],
  ];
  for (const [kind, file, content, message] of bad) {
    const r = await importFile(kind, file, content);
    t.equal(r.code, 1, `${file} exits 1`);
    t.match(r.err, message, file);
    positioned(r, file);
  }
  t.same(await counts(), base, 'none of them wrote anything');
  t.ok(({} as Record<string, unknown>).polluted === undefined, 'no prototype pollution');
});

// ---------------------------------------------------------------- the real CLI

t.test('end to end: exit 1, positioned messages, no stack trace, nothing written', async (t) => {
  // the built CLI (npm run build), as users run it: tsx would take seconds per start on a loaded
  // machine; without tap's NODE_OPTIONS (its process-info hook slows every child down)
  const CHILD_ENV = { ...process.env, NODE_OPTIONS: '' };
  t.ok(existsSync('dist/cli/main.js'), 'dist/ is built (npm run build)');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [path.resolve('bin/tierbook.js'), ...args], { input, encoding: 'utf8', env: CHILD_ENV });
  const noStack = (s: string) => t.notMatch(s, /\n\s+at |Error:/, 'no stack trace');

  const ev = run(['evaluate', '--plans', PLANS], `\uFEFF${JSON.stringify(REQUEST)}\n{"partner": "contoso"\n\n{"__proto__": {"polluted": 1}, ${JSON.stringify(REQUEST).slice(1)}\n${JSON.stringify({ ...REQUEST, minutes: 1e400 })}\n`);
  t.equal(ev.status, 1, ev.stderr);
  noStack(ev.stderr);
  const out = ev.stdout.split('\n');
  t.match(JSON.parse(out[0]!), { accepted: Boolean });
  t.match(JSON.parse(out[1]!), { error: { line: 2, column: 22, message: /^not JSON: unexpected end of input/ } });
  t.equal(out[2], '');
  t.match(JSON.parse(out[3]!), { error: { line: 4, field: '__proto__' } });
  t.match(JSON.parse(out[4]!), { error: { line: 5, field: 'minutes' } });

  const quoteFile = path.join(dir, 'cut.json');
  writeFileSync(quoteFile, QUOTE_TEXT.slice(0, 200));
  const q = run(['quote', quoteFile, '--plans', PLANS]);
  t.equal(q.status, 1);
  noStack(q.stderr);
  t.match(q.stderr, new RegExp(`${quoteFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: INVALID_JSON: invalid JSON: `));

  const imp = path.join(dir, 'e2e.csv');
  const e2eDb = path.join(dir, 'e2e.db');
  writeFileSync(imp, 'id,name,email\r\nz1,Z,z@example.com\r\nz2,"Z, ""two""",=cmd|\' /C calc\'!A0\r\nz3,"unterminated\r\n');
  const i = run(['import', 'customers', imp, '--partner', 'contoso', '--db', e2eDb, '--plans', PLANS]);
  t.equal(i.status, 1);
  noStack(i.stderr);
  t.match(i.stderr, /e2e\.csv:4:4: INVALID_RECORDS_FILE: unterminated quoted cell/);
  const store = await openSqlite(e2eDb);
  t.equal((store.client.prepare('select count(*) as n from customers').get() as { n: number }).n, 0, 'nothing written');
  await store.close();
});
