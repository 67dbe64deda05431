// One definition per wire shape (src/wire): the API, quote documents and CLI
// request lines agree on instants (src/time parseInstant: 2026-02-29 and 24:00
// are no instants anywhere), on locales (en-US, zh-CN and the aliases en, zh,
// zh-Hans) and on the other primitives; problem documents carry their code.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseQuote } from '../../src/billing/quote.js';
import { parseRequest } from '../../src/rules/request.js';
import { CATEGORIES, LOCALE_TAGS, resolveLocale, SLUG } from '../../src/wire/patterns.js';
import { isRealInstant } from '../../src/wire/validate.js';
import { seed, startServer } from '../api/helpers.js';

const NOT_INSTANTS = ['2026-02-29T10:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T24:00Z', '2026-10-14T25:99:00Z'];
const LINE = { partner: 'contoso', offering: 'standard', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };
const QUOTE = JSON.parse(readFileSync('docs/examples/quote-standard.json', 'utf8')) as Record<string, unknown> & { requests: Record<string, unknown>[] };

t.test('patterns: one locale rule, categories, slugs', async (t) => {
  t.same(LOCALE_TAGS, ['en-US', 'zh-CN', 'en', 'zh', 'zh-Hans']);
  t.same(['en-US', 'zh-CN', 'en', 'zh', 'zh-Hans', 'fr', 'zh-TW', 'EN-us'].map(resolveLocale), ['en-US', 'zh-CN', 'en-US', 'zh-CN', 'zh-CN', undefined, undefined, undefined]);
  t.same(CATEGORIES, ['billing', 'subscription', 'technical']);
  t.ok(SLUG.test('a') && SLUG.test('a-1') && !SLUG.test('-a') && !SLUG.test('A') && !SLUG.test('a'.repeat(64)));
});

t.test('instants: the wire format is src/time parseInstant', async (t) => {
  for (const s of NOT_INSTANTS) t.notOk(isRealInstant(s), s);
  for (const s of ['2028-02-29T10:00:00Z', '2026-11-24T23:59:59.999+05:30', '2026-11-24T00:00Z']) t.ok(isRealInstant(s), s);
});

t.test('CLI request lines refuse 2026-02-29 and 24:00 with the same message', async (t) => {
  for (const receivedAt of NOT_INSTANTS) {
    t.same(parseRequest({ ...LINE, receivedAt }), {
      ok: false,
      error: { field: 'receivedAt', message: `"${receivedAt}" is not an instant: write date, time and offset or Z, e.g. "2026-11-24T09:15:00-05:00"` },
    });
  }
});

t.test('quote documents refuse them in receivedAt, respondedAt and a worklog start', async (t) => {
  for (const bad of NOT_INSTANTS) {
    const requests = [{ ...QUOTE.requests[0], receivedAt: bad }, ...QUOTE.requests.slice(1)];
    const r = parseQuote({ ...QUOTE, requests, worklogs: [{ offering: 'standard', start: bad, minutes: 30 }] });
    t.notOk(r.ok, bad);
    if (r.ok) continue;
    t.same(
      r.errors.filter((e) => /is not an instant/.test(e.message)).map((e) => e.field),
      ['/requests/0/receivedAt', '/worklogs/0/start'],
      bad,
    );
  }
  t.ok(parseQuote(QUOTE).ok, 'the example passes');
});

t.test('quote documents and customers take the same locales', async (t) => {
  const customer = QUOTE.customer as Record<string, unknown>;
  for (const locale of ['zh-Hans', 'zh', 'en', 'zh-CN']) t.ok(parseQuote({ ...QUOTE, customer: { ...customer, locale } }).ok, locale);
  const fr = parseQuote({ ...QUOTE, customer: { ...customer, locale: 'fr-FR' } });
  t.same(fr.ok ? [] : fr.errors, [{ field: '/customer/locale', message: 'must be a locale: en-US or zh-CN (en, zh and zh-Hans are accepted), got "fr-FR"' }]);
});

t.test('the API agrees: instants, locales, codes', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const field = (a: { json: { errors?: { pointer: string; detail: string }[] } }, pointer: string): string | undefined => a.json.errors?.find((e) => e.pointer === pointer)?.detail;

  for (const bad of NOT_INSTANTS) {
    const ev = await s.call('POST', '/evaluate', { body: { ...LINE, receivedAt: bad } });
    t.same([ev.status, ev.json.code, field(ev, '/receivedAt')], [400, 'INVALID_BODY', `"${bad}" is not an instant: write date, time and offset or Z, e.g. "2026-11-24T09:15:00-05:00"`], `evaluate ${bad}`);
    const wl = await s.call('POST', '/worklogs', { body: { customer: 'northwind', offering: 'standard', start: bad, minutes: 30 } });
    t.same([wl.status, wl.json.code, field(wl, '/start')], [400, 'INVALID_BODY', `"${bad}" is not an instant: write date, time and offset or Z, e.g. "2026-11-24T09:15:00-05:00"`], `worklog start ${bad}`);
    const batch = await s.call('POST', '/batch/worklogs', { body: [{ customer: 'northwind', offering: 'standard', start: bad, minutes: 30 }] });
    t.same([batch.status, batch.json.code, field(batch, '/0/start')], [400, 'INVALID_RECORD', `"${bad}" is not an instant: write date, time and offset or Z, e.g. "2026-11-24T09:15:00-05:00"`], `batch ${bad}`);
  }
  const wl = await s.call('POST', '/worklogs', { body: { customer: 'northwind', offering: 'standard', start: '2026-10-14T23:30:00-04:00', minutes: 30 } });
  t.equal(wl.status, 201, 'a real instant is stored');

  const zhHans = await s.call('POST', '/customers', { body: { id: 'han', name: 'Han', locale: 'zh-Hans' } });
  t.equal(zhHans.status, 201, 'zh-Hans is accepted, as by quotes');
  const fr = await s.call('POST', '/customers', { body: { id: 'fra', name: 'Fra', locale: 'fr-FR' } });
  t.same([fr.status, fr.json.code, Object.keys(fr.json.errors[0])], [400, 'INVALID_BODY', ['in', 'pointer', 'detail']]);

  const quote = await s.call('POST', '/quotes', { body: { ...QUOTE, requests: [{ ...QUOTE.requests[0], receivedAt: '2026-02-29T10:00:00Z' }] } });
  t.same([quote.status, quote.json.code, field(quote, '/requests/0/receivedAt')], [400, 'INVALID_BODY', '"2026-02-29T10:00:00Z" is not an instant: write date, time and offset or Z, e.g. "2026-11-24T09:15:00-05:00"']);

  const codes = await Promise.all([
    s.call('GET', '/customers/ghost'),
    s.call('GET', '/customers', { token: null }),
    s.call('POST', '/customers', { body: { id: 'v', name: 'V' }, token: s.viewer }),
    s.call('GET', '/statements/northwind/2026-10/issued'),
    s.call('GET', '/nowhere'),
    s.call('GET', '/offerings/gold/terms'),
    s.call('GET', '/offerings/standard/terms?at=2026-02-30'),
  ]);
  t.same(
    codes.map((a) => [a.status, a.json.code]),
    [
      [404, 'NOT_FOUND'],
      [401, 'UNAUTHORIZED'],
      [403, 'FORBIDDEN'],
      [404, 'STATEMENT_NOT_ISSUED'],
      [404, 'ROUTE_NOT_FOUND'],
      [404, 'UNKNOWN_OFFERING'],
      [400, 'INVALID_QUERY'],
    ],
  );
  t.equal(codes[0]!.json.detail, 'customer "ghost" not found');
});
