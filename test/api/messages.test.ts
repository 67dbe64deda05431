// Human error messages: no regular expression reaches anyone (every
// pattern-bearing field of every wire schema is walked), an instant without
// an offset and money sent as a JSON number are named as such, and the API,
// imports and CLI request lines word a field's error the same (one source:
// src/wire/validate.ts).
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import * as documents from '../../src/wire/documents.js';
import * as params from '../../src/wire/params.js';
import * as primitives from '../../src/wire/primitives.js';
import * as quote from '../../src/wire/quote.js';
import * as records from '../../src/wire/records.js';
import { ajvToParams, validatorOf, wireErrors } from '../../src/wire/validate.js';
import { parseRequest } from '../../src/rules/request.js';
import { importRecords } from '../../src/app/import.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { contoso } from '../render/fixtures.js';
import { seed, startServer, type Server } from './helpers.js';

const MODULES = { documents, params, primitives, quote, records } as Record<string, Record<string, unknown>>;
// corrections.ts and any later wire module are walked too when present
const extra = await import('../../src/wire/corrections.js').catch(() => null);
if (extra) MODULES.corrections = extra as Record<string, unknown>;

const isSchema = (x: unknown): x is TSchema => typeof x === 'object' && x !== null && !Array.isArray(x) && ('type' in x || 'anyOf' in x || 'enum' in x || 'pattern' in x);

/** Every subschema with a `pattern`, with where it was found. */
function patterned(schema: unknown, where: string, out: Array<{ where: string; schema: TSchema }>, seen = new Set<unknown>()): void {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  if (typeof s.pattern === 'string') out.push({ where, schema: s as TSchema });
  for (const [k, v] of Object.entries(s.properties ?? {})) patterned(v, `${where}/${k}`, out, seen);
  for (const [k, v] of Object.entries(s.patternProperties ?? {})) patterned(v, `${where}/{${k.length}}`, out, seen);
  for (const key of ['items', 'additionalProperties', 'not']) patterned(s[key], `${where}/${key}`, out, seen);
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((v, i) => patterned(v, `${where}/${key}${i}`, out, seen));
}

/** What a regular expression leaves in a message: anchors, classes, escapes, the words "pattern". */
const REGEX_TRACES = [/\^/, /\\[dswu]/, /\[[^\]]*-[^\]]*\]/, /\{\d+,\d*\}/, /pattern/i, /\$"?$/];

t.test('no message of any pattern-bearing wire field shows a regular expression', async (t) => {
  const found: Array<{ where: string; schema: TSchema }> = [];
  for (const [mod, exports] of Object.entries(MODULES)) {
    for (const [name, value] of Object.entries(exports)) if (isSchema(value)) patterned(value, `${mod}.${name}`, found);
  }
  t.ok(found.length >= 25, `${found.length} pattern-bearing fields`);
  const BAD = ['\u0001 not this one!', '', 'x'.repeat(300), 12.5];
  let checked = 0;
  for (const { where, schema } of found) {
    const v = validatorOf(schema);
    for (const value of BAD) {
      if (v(value)) continue;
      const messages = [...ajvToParams(v.errors ?? [], 'body').map((e) => e.detail), ...wireErrors(v.errors ?? []).map((e) => e.message)];
      for (const m of messages) {
        checked++;
        t.notOk(m.includes(String(schema.pattern)), `${where}: ${m}`);
        const trace = REGEX_TRACES.find((r) => r.test(m.replace(/"[^"]*"/g, '""')));
        if (trace) t.fail(`${where} (${JSON.stringify(value).slice(0, 20)}): "${m}" looks like a regular expression (${trace})`);
      }
    }
  }
  t.ok(checked > 100, `${checked} messages checked`);
});

let s: Server;
t.before(async () => {
  s = await startServer(undefined, { now: () => Date.parse('2026-10-20T12:00:00Z') });
  await seed(s);
});
t.teardown(() => s.close());

const NO_OFFSET = '"2026-10-14T10:00:00" needs a time zone offset or Z, e.g. "2026-11-24T09:15:00-05:00"';
const REQUEST = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00' };

t.test('an instant without an offset: the same words from the API, an import and a CLI request line', async (t) => {
  const api = await s.call('POST', '/requests', { body: REQUEST });
  t.equal(api.status, 400);
  t.equal(api.json.code, 'INVALID_BODY');
  t.same(api.json.errors, [{ in: 'body', pointer: '/receivedAt', detail: NO_OFFSET }]);
  t.equal(api.json.detail, `invalid body: /receivedAt ${NO_OFFSET}`);

  const evaluate = await s.call('POST', '/evaluate', { body: REQUEST });
  t.same(evaluate.json.errors, [{ in: 'body', pointer: '/receivedAt', detail: NO_OFFSET }]);

  const dir = mkdtempSync(join(tmpdir(), 'tierbook-messages-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const repo = await openSqlite(join(dir, 'm.db'));
  t.teardown(() => repo.close());
  const imported = await importRecords(repo, contoso(), 'requests', [REQUEST]);
  t.same(imported, { ok: false, problems: [{ code: 'INVALID_RECORD', index: 0, pointer: '/receivedAt', detail: NO_OFFSET }] });

  const line = parseRequest({ partner: 'contoso', offering: 'standard', ...REQUEST });
  t.same(line, { ok: false, error: { field: 'receivedAt', message: NO_OFFSET } });
});

t.test('an amount sent as a JSON number', async (t) => {
  const detail = 'must be a decimal string, not a number, e.g. "12.50" (money is never a float)';
  const api = await s.call('POST', '/spend', { body: { customer: 'northwind', period: '2026-10', service: 'azure', amount: 12.5 } });
  t.equal(api.status, 400);
  t.same(api.json.errors, [{ in: 'body', pointer: '/amount', detail }]);
  const batch = await s.call('POST', '/batch/spend', { body: [{ customer: 'northwind', period: '2026-10', service: 'azure', amount: 12.5 }] });
  t.same(batch.json.errors, [{ in: 'body', pointer: '/0/amount', detail }]);
  const tax = await s.call('POST', '/customers', { body: { id: 'fabrikam-x', name: 'X', taxRate: 8 } });
  t.same(tax.json.errors, [{ in: 'body', pointer: '/taxRate', detail: 'must be a percentage string, not a number, e.g. "8.25%"' }]);
});

t.test('a value off a closed list names the list; a bad id says what an id is', async (t) => {
  const r = await s.call('POST', '/requests', { body: { ...REQUEST, receivedAt: '2026-10-14T10:00:00-04:00', category: 'sales', customer: 'North Wind' } });
  t.same(r.json.errors, [
    { in: 'body', pointer: '/customer', detail: 'must be a customer id (slug), got "North Wind"' },
    { in: 'body', pointer: '/category', detail: 'must be one of billing, subscription, technical, got "sales"' },
  ]);
});
