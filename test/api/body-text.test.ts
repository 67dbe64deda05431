// Bodies before parsing (issue 21 items 5, 12): deep nesting (with an
// Idempotency-Key it overflowed the stack in canonicalJson: 500), bytes that
// are not UTF-8 or declared in another charset (stored as U+FFFD), control
// characters and lone surrogates in strings (stored, and a NUL reached HTML).
import t from 'tap';
import fc from 'fast-check';
import { checkJsonText, MAX_JSON_DEPTH } from '../../src/api/body-text.js';
import { importRecords } from '../../src/app/import.js';
import { startServer, type Server } from './helpers.js';

let s: Server;
t.before(async () => {
  s = await startServer();
});
t.teardown(() => s.close());

const post = (path: string, body: string | Buffer, contentType = 'application/json', key?: string) =>
  fetch(s.base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.admin}`, 'content-type': contentType, ...(key ? { 'idempotency-key': key } : {}) },
    body,
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as { code: string; detail: string } }));

t.test('deep nesting answers 400 JSON_TOO_DEEP, with or without a key, JSON or NDJSON', async (t) => {
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  for (const [path, body, type, key] of [
    ['/batch/spend', deep, 'application/json', 'k-deep'],
    ['/spend', `{"a":${deep}}`, 'application/json', undefined],
    ['/batch/spend', '[\n'.repeat(40) + ']\n'.repeat(40), 'application/json', 'k-pretty'],
    ['/batch/spend', `{"customer":"acme"}\n{"x":${deep}}\n`, 'application/x-ndjson', 'k-nd'],
  ] as const) {
    const r = await post(path, body, type, key);
    t.equal(r.status, 400, path);
    t.equal(r.json.code, 'JSON_TOO_DEEP');
    t.match(r.json.detail, `nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  t.equal((await s.call('GET', '/health')).status, 200, 'still serving');
});

t.test('bodies that are not UTF-8 are refused, not stored with U+FFFD', async (t) => {
  const latin1 = Buffer.from('{"id":"cafe","name":"Caf\xe9"}', 'latin1');
  const bad = await post('/customers', latin1);
  t.same([bad.status, bad.json.code, bad.json.detail], [400, 'BODY_NOT_UTF8', 'the body is not valid UTF-8']);
  const declared = await post('/customers', '{"id":"cafe","name":"Cafe"}', 'application/json; charset=latin1');
  t.same([declared.status, declared.json.code, declared.json.detail], [400, 'BODY_NOT_UTF8', 'the body must be UTF-8; charset "latin1" is not accepted']);
  t.equal((await post('/customers', JSON.stringify({ id: 'cafe', name: 'Café 😀' }), 'application/json; charset=UTF-8')).status, 201);
  t.equal((await s.call('GET', '/customers/cafe')).json.name, 'Café 😀');
});

t.test('control characters and lone surrogates in strings are refused; tab and line feed are not', async (t) => {
  const cases: Array<[string, string]> = [
    ['{"id":"nul","name":"a\\u0000b"}', 'a string holds control character U+0000 (at character 22); only tab and line feed are allowed'],
    ['{"id":"cr","name":"a\\rb"}', 'a string holds control character U+000D (at character 21); only tab and line feed are allowed'],
    ['{"id":"c1","name":"a\u0085b"}', 'a string holds control character U+0085 (at character 21); only tab and line feed are allowed'],
    ['{"id":"lone","name":"a\\ud800b"}', 'a string holds a lone surrogate (at character 23); the text is not valid Unicode'],
    ['{"id":"low","name":"\\udc00"}', 'a string holds a lone surrogate (at character 21); the text is not valid Unicode'],
  ];
  for (const [body, detail] of cases) {
    const r = await post('/customers', body);
    t.same([r.status, r.json.code, r.json.detail], [400, 'CONTROL_CHARACTER', detail], body);
  }
  t.equal((await post('/customers', '{"id":"tabs","name":"a\\tb\\nc \\ud83d\\ude00"}')).status, 201);
  t.equal((await s.call('GET', '/customers/tabs')).json.name, 'a\tb\nc 😀');
});

// The scanner against a reference that parses first: same verdict on every JSON text.
const unit = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('a', '"', '\\', '\t', '\n', '\ud83d\ude00'));
const isControl = (u: number): boolean => (u < 0x20 && u !== 9 && u !== 10) || (u >= 0x7f && u <= 0x9f);
function badString(x: string): boolean {
  for (let i = 0; i < x.length; i++) {
    const u = x.charCodeAt(i);
    if (isControl(u)) return true;
    if (u >= 0xd800 && u <= 0xdbff) {
      const low = x.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return true;
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) return true;
  }
  return false;
}
function reference(v: unknown): { depth: number; bad: boolean } {
  if (typeof v === 'string') return { depth: 0, bad: badString(v) };
  if (v === null || typeof v !== 'object') return { depth: 0, bad: false };
  const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v);
  let depth = 0;
  let bad = false;
  for (const [k, x] of entries) {
    const r = reference(x);
    depth = Math.max(depth, r.depth);
    bad ||= r.bad || badString(k);
  }
  return { depth: depth + 1, bad };
}

t.test('property: the one-pass scan agrees with parse-then-walk', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6, stringUnit: unit }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (v, max, pretty) => {
      const text = JSON.stringify(v, null, pretty ? 1 : undefined) ?? 'null';
      const ref = reference(v);
      const got = checkJsonText(text, false, max);
      const want = ref.depth > max ? 'JSON_TOO_DEEP' : ref.bad ? 'CONTROL_CHARACTER' : null;
      // both problems present: the scan reports whichever comes first in the text
      if (ref.depth > max && ref.bad) return got !== null;
      return (got?.code ?? null) === want;
    }),
    { seed: 2126, numRuns: 400 },
  );
  t.pass('agreed');
});

t.test('no raw NUL in HTML, even from a name stored before the rule', async (t) => {
  await s.repo.insertMany('contoso', 'customers', [{ record: { id: 'nul-old', name: 'Old\u0000Name', locale: null, taxRate: null, email: null }, bodyHash: 'n1' }]);
  await s.repo.insertMany('contoso', 'subscriptions', [{ record: { id: 'nul-ess', customer: 'nul-old', offering: 'essential', start: '2026-10-01', end: null, discount: null, quantities: [] }, bodyHash: 'n2' }]);
  const html = await s.call('GET', '/statements/nul-old/2026-10?format=html');
  t.equal(html.status, 200);
  t.notOk(html.text.includes('\u0000'), 'no NUL');
  t.ok(html.text.includes('Old\uFFFDName'), 'shown as U+FFFD');
});

t.test('imports refuse control characters in names too (no HTTP parser runs there)', async (t) => {
  const r = await importRecords(s.repo, s.plan, 'customers', [
    { id: 'imp-ok', name: 'Tab\there, 😀 and 中文' },
    { id: 'imp-nul', name: 'a\u0000b' },
    { id: 'imp-cr', name: 'a\rb' },
    { id: 'imp-lone', name: 'a\ud800b' },
  ]);
  t.same(r.ok ? [] : [...new Set(r.problems.map((p) => `${p.index} ${p.pointer} ${p.detail.slice(0, 19)}`))], ['1 /name must be a non-empty', '2 /name must be a non-empty', '3 /name must be a non-empty']);
});
