// Document links (issue 23): POST /links makes a URL that opens a statement or
// issued document in a plain browser (no Authorization header) until it
// expires; the document is rendered at each opening; strict headers; only
// document paths; LINK_NOT_FOUND, LINK_EXPIRED.
import t from 'tap';
import { HTML_CSP } from '../../src/api/app.js';
import { demoStatement, startBanner } from '../../src/main/start.js';
import { seed, startServer, type Answer, type Server } from './helpers.js';

const NOV5 = Date.parse('2026-11-05T12:00:00Z');
let clock = NOV5;
let s: Server;
t.before(async () => {
  s = await startServer(undefined, { now: () => clock });
  await seed(s);
});
t.teardown(() => s.close());

const link = (body: unknown, token?: string | null): Promise<Answer> => s.call('POST', '/links', { body, ...(token !== undefined ? { token } : {}) });
const open = (url: string): Promise<Answer> => s.call('GET', url, { token: null });
const ID = /^\/v1\/links\/lk_[A-Za-z0-9_-]{32}$/;

t.test('a statement link opens without a token, with strict headers, rendered afresh', async (t) => {
  clock = NOV5;
  const made = await link({ path: 'statements/northwind/2026-10?format=html' });
  t.equal(made.status, 201, made.text);
  t.same(Object.keys(made.json), ['url', 'path', 'expiresAt']);
  t.match(made.json.url, ID);
  t.equal(made.json.path, 'statements/northwind/2026-10?format=html');
  t.equal(made.json.expiresAt, '2026-11-12T12:00:00.000Z', '7 days by default');
  t.equal(made.headers.get('cache-control'), 'no-store');

  const page = await open(made.json.url);
  t.equal(page.status, 200);
  t.equal(page.type, 'text/html; charset=utf-8');
  t.equal(page.headers.get('content-security-policy'), HTML_CSP);
  t.notMatch(HTML_CSP, /script-src/, 'no scripts: default-src none');
  t.equal(page.headers.get('referrer-policy'), 'no-referrer');
  t.equal(page.headers.get('cache-control'), 'private, no-store');
  t.equal(page.headers.get('x-robots-tag'), 'noindex, nofollow');
  t.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const withToken = await s.call('GET', '/statements/northwind/2026-10?format=html');
  t.equal(page.text, withToken.text, 'the same document GET /statements answers with a token');
  t.match(page.text, 'Northwind Traders');

  // rendered at each opening: a change shows
  t.equal((await s.call('PATCH', '/customers/northwind', { body: { name: 'Northwind Trading Co' } })).status, 200);
  const again = await open(made.json.url);
  t.match(again.text, 'Northwind Trading Co');
  t.notMatch(again.text, 'Northwind Traders');

  // a viewer may make one; the default format is HTML; the locale may be forced
  const v = await link({ path: 'statements/northwind/2026-10?locale=zh-CN' }, s.viewer);
  t.equal(v.status, 201, v.text);
  t.equal(v.json.path, 'statements/northwind/2026-10?format=html&locale=zh-CN');
  t.match((await open(v.json.url)).text, /<html lang="zh-CN"[ >]/);
  const csv = await link({ path: 'statements/northwind/2026-10?format=csv' });
  const csvPage = await open(csv.json.url);
  t.equal(csvPage.type, 'text/csv; charset=utf-8');
  t.equal(csvPage.text, (await s.call('GET', '/statements/northwind/2026-10?format=csv')).text);
});

t.test('an issued document link: as GET /documents/:number renders it', async (t) => {
  clock = NOV5;
  const fin = await s.call('POST', '/statements/northwind/2026-10/finalize?force=true');
  t.equal(fin.status, 201, fin.text);
  const number = fin.json.number as string;
  for (const [q, path] of [
    ['?format=md&locale=zh-CN', `documents/${number}?format=md&locale=zh-CN`],
    ['?locale=en-US&format=json', `documents/${number}?format=json&locale=en-US`],
    ['', `documents/${number}?format=html`],
  ] as const) {
    const made = await link({ path: `documents/${number}${q}` });
    t.equal(made.status, 201, made.text);
    t.equal(made.json.path, path);
    const page = await open(made.json.url);
    t.equal(page.status, 200);
    const direct = await s.call('GET', `/${path}`);
    t.equal(page.text, direct.text, path);
    t.equal(page.type, direct.type);
  }
});

t.test('expiry by the server clock: 410 LINK_EXPIRED from expiresAt on; unknown ids 404', async (t) => {
  clock = NOV5;
  const made = await link({ path: 'statements/northwind/2026-10?format=md', ttlSeconds: 60 });
  t.equal(made.json.expiresAt, '2026-11-05T12:01:00.000Z');
  clock = NOV5 + 59_999;
  t.equal((await open(made.json.url)).status, 200);
  clock = NOV5 + 60_000;
  const gone = await open(made.json.url);
  t.equal(gone.status, 410);
  t.equal(gone.type, 'application/problem+json; charset=utf-8');
  t.equal(gone.json.code, 'LINK_EXPIRED');
  t.equal(gone.json.detail, 'this link expired at 2026-11-05T12:01:00.000Z; ask for a new one');
  t.equal(gone.headers.get('referrer-policy'), 'no-referrer');
  for (const url of ['/v1/links/lk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/v1/links/x', made.json.url.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'))]) {
    const nf = await open(url);
    t.equal(nf.status, 404, url);
    t.equal(nf.json.code, 'LINK_NOT_FOUND');
    t.equal(nf.json.detail, 'no such link (mistyped, or purged 30 days after it expired)');
  }
  // a token is neither needed nor used: another partner's token opens nothing more
  clock = NOV5;
  const fresh = await link({ path: 'statements/northwind/2026-10' });
  t.equal((await s.call('GET', fresh.json.url, { token: s.other })).status, 200);
});

t.test('only document paths; the partner scope and roles of the token routes', async (t) => {
  clock = NOV5;
  const hint = 'a link opens "statements/<customer>/<period>" or "documents/<number>", optionally with ?format=html|md|csv|json and &locale=en-US|zh-CN';
  const cases: Array<[string, string]> = [
    ['customers/northwind', '"customers/northwind" is not a document path'],
    ['/statements/northwind/2026-10', '"/statements/northwind/2026-10" is not a document path'],
    ['statements/northwind/2026-10/issued', '"statements/northwind/2026-10/issued" is not a document path'],
    ['statements/../customers/2026-10', '"statements/../customers/2026-10" is not a document path'],
    ['statements/northwind/2026-13', '"statements/northwind/2026-13" is not a document path'],
    ['documents/CONTOSO-202610-0001/status', '"documents/CONTOSO-202610-0001/status" is not a document path'],
    ['statements/northwind/2026-10?format=pdf', 'query parameter "format=pdf" is not allowed'],
    ['statements/northwind/2026-10?format=html&token=abc', 'query parameter "token=abc" is not allowed'],
    ['statements/northwind/2026-10?locale=fr-FR', 'query parameter "locale=fr-FR" is not allowed'],
  ];
  for (const [path, why] of cases) {
    const r = await link({ path });
    t.equal(r.status, 400, path);
    t.equal(r.json.code, 'LINK_PATH_INVALID', path);
    t.equal(r.json.detail, `${why}: ${hint}`);
  }
  const ghost = await link({ path: 'statements/ghost/2026-10' });
  t.equal(ghost.status, 404);
  t.equal(ghost.json.code, 'NOT_FOUND');
  t.equal(ghost.json.detail, 'customer "ghost" not found');
  const noDoc = await link({ path: 'documents/CONTOSO-202610-9999' });
  t.equal(noDoc.status, 404);
  t.equal(noDoc.json.code, 'DOCUMENT_NOT_FOUND');
  for (const body of [{ path: 'statements/northwind/2026-10', ttlSeconds: 59 }, { path: 'statements/northwind/2026-10', ttlSeconds: 90 * 86_400 + 1 }, { path: 'statements/northwind/2026-10', other: 1 }, {}]) {
    const r = await link(body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.equal(r.json.code, 'INVALID_BODY');
  }
  t.equal((await link({ path: 'statements/northwind/2026-10' }, null)).status, 401, 'a token is needed to make a link');
  const other = await link({ path: 'statements/northwind/2026-10' }, s.other);
  t.equal(other.status, 404, "another partner's token");
  t.equal(other.json.code, 'NOT_FOUND');
  // huayun's admin links only huayun's documents: the same customer id there is another customer
  const theirs = await s.call('POST', `${s.origin}/v1/partners/huayun/links`, { body: { path: 'statements/northwind/2026-10' }, token: s.other });
  t.equal(theirs.status, 404);
  t.equal(theirs.json.detail, 'customer "northwind" not found');
});

t.test('the OpenAPI document', async (t) => {
  const doc = (await s.call('GET', '/openapi.json', { token: null })).json;
  const post = doc.paths['/v1/partners/{partner}/links'].post;
  t.same(Object.keys(post.responses).filter((c: string) => c.startsWith('2')), ['201']);
  t.same(post.requestBody.content['application/json'].example, { path: 'statements/northwind/2026-10?format=html', ttlSeconds: 604800 });
  const get = doc.paths['/v1/links/{id}'].get;
  t.same(get.security, []);
  t.ok(get.responses['404'] && get.responses['410'], '404 and 410 documented');
  t.ok(get.responses['200'].content['text/html'], 'HTML');
});

t.test('what `tierbook start` prints: the docs, the console signed in by the fragment, the demo statement as a link', async (t) => {
  clock = NOV5;
  const demo = await demoStatement(s.repo, 'contoso', s.admin, 'statements/northwind/2026-10', NOV5);
  t.equal(demo.link.path, 'statements/northwind/2026-10?format=html');
  t.equal(demo.link.expiresAt, '2026-11-12T12:00:00.000Z', '7 days');
  const page = await open(demo.link.url);
  t.equal(page.status, 200, 'opens without a token');
  t.equal(page.type, 'text/html; charset=utf-8');
  const lines = startBanner({ url: 'http://127.0.0.1:3000', db: 'data/tierbook.db', admin: { partner: 'contoso', token: 'tb_T', statement: demo } });
  t.same(lines, [
    'tierbook is running on http://127.0.0.1:3000',
    '  API docs (OpenAPI): http://127.0.0.1:3000/docs',
    '  admin token for partner "contoso": tb_T',
    '  console: http://127.0.0.1:3000/console/#token=tb_T',
    `  a statement (opens in a browser until 2026-11-12T12:00:00.000Z): http://127.0.0.1:3000${demo.link.url}`,
    '    curl -H "Authorization: Bearer tb_T" "http://127.0.0.1:3000/v1/partners/contoso/statements/northwind/2026-10?format=html" > statement.html',
    '  (in /docs, press "Authorize" and paste the token to try every route)',
    '  data: data/tierbook.db; stop with Ctrl-C',
  ]);
  t.same(startBanner({ url: 'http://h:1', db: 'x.db' }), ['tierbook is running on http://h:1', '  API docs (OpenAPI): http://h:1/docs', '  data: x.db; stop with Ctrl-C'], 'no plan: no token');
  // the curl line answers with the token what the link answers without one
  t.equal((await s.call('GET', '/statements/northwind/2026-10?format=html')).text, page.text);
});
