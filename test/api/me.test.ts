// GET /v1/me (who a token is: the console's sign-in) and GET /console (the
// built console's files under their own Content-Security-Policy).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startServer, type Server } from './helpers.js';
import { CONSOLE_CSP } from '../../src/api/routes/console.js';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
let s: Server;
let dir: string;

t.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierbook-console-files-'));
  mkdirSync(join(dir, 'c'));
  writeFileSync(join(dir, 'c', 'index.html'), '<!doctype html><title>c</title>');
  writeFileSync(join(dir, 'c', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'c', 'console.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'no');
  s = await startServer(undefined, { consoleDir: join(dir, 'c') });
});
t.teardown(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

t.test('GET /v1/me for an admin, a viewer, an operator', async (t) => {
  const admin = await s.call('GET', '/v1/me');
  t.equal(admin.status, 200);
  t.same(admin.json, { partner: 'contoso', role: 'admin', locale: 'en-US', timezone: 'America/New_York', currency: 'USD', tokenId: admin.json.tokenId, partnerName: s.plan.partner.name });
  t.match(admin.json.tokenId, /^\S+$/);
  const viewer = await s.call('GET', '/v1/me', { token: s.viewer });
  t.equal(viewer.status, 200);
  t.equal(viewer.json.role, 'viewer');
  t.equal(viewer.json.partner, 'contoso');
  t.not(viewer.json.tokenId, admin.json.tokenId);
  const other = await s.call('GET', '/v1/me', { token: s.other });
  t.same([other.json.partner, other.json.role, other.json.locale, other.json.timezone, other.json.currency], ['huayun', 'admin', 'zh-CN', 'Asia/Shanghai', 'CNY']);
  const operator = await s.repo.createToken('contoso', 'operator');
  const op = await s.call('GET', '/v1/me', { token: operator });
  t.equal(op.status, 200);
  t.same(op.json, { partner: null, role: 'operator', locale: null, timezone: null, currency: null, tokenId: op.json.tokenId, partnerName: null });
});

t.test('GET /v1/me refuses no token and a wrong one with 401 UNAUTHORIZED', async (t) => {
  const none = await s.call('GET', '/v1/me', { token: null });
  t.equal(none.status, 401);
  t.equal(none.json.code, 'UNAUTHORIZED');
  t.equal(none.json.detail, 'a bearer token is required: Authorization: Bearer <token>');
  t.equal(none.headers.get('www-authenticate'), 'Bearer realm="tierbook"');
  const bad = await s.call('GET', '/v1/me', { token: 'not-a-token' });
  t.equal(bad.status, 401);
  t.equal(bad.json.code, 'UNAUTHORIZED');
  t.equal(bad.json.detail, 'the bearer token is not valid');
  t.equal(bad.headers.get('www-authenticate'), 'Bearer realm="tierbook", error="invalid_token"');
});

t.test('GET /console serves the built files under the console CSP', async (t) => {
  t.equal(CONSOLE_CSP, CSP);
  for (const path of ['/console', '/console/', '/console/index.html']) {
    const r = await s.call('GET', s.origin + path, { token: null });
    t.equal(r.status, 200, path);
    t.equal(r.type, 'text/html; charset=utf-8', path);
    t.equal(r.text, '<!doctype html><title>c</title>', path);
    t.equal(r.headers.get('content-security-policy'), CSP, path);
    t.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    t.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
  }
  const js = await s.call('GET', s.origin + '/console/app.js', { token: null });
  t.equal(js.status, 200);
  t.equal(js.type, 'text/javascript; charset=utf-8');
  t.equal(js.text, 'export {};');
  t.equal(js.headers.get('content-security-policy'), CSP);
  const css = await s.call('GET', s.origin + '/console/console.css', { token: null });
  t.equal(css.type, 'text/css; charset=utf-8');
});

t.test('GET /console: a file it was not built with is 404, whatever is in the folder', async (t) => {
  for (const path of ['/console/secret.txt', '/console/..%2Fsecret.txt', '/console/app.js.map', '/console/nothing']) {
    const r = await s.call('GET', s.origin + path, { token: null });
    t.equal(r.status, 404, path);
    t.equal(r.json.code, 'NOT_FOUND', path);
  }
  const r = await s.call('GET', s.origin + '/console/secret.txt', { token: null });
  t.equal(r.json.detail, 'console file "secret.txt" not found');
});

t.test('GET /console before the console is built: 404 that says so', async (t) => {
  const empty = await startServer(undefined, { consoleDir: join(dir, 'missing') });
  t.teardown(() => empty.close());
  const r = await empty.call('GET', empty.origin + '/console', { token: null });
  t.equal(r.status, 404);
  t.equal(r.json.code, 'NOT_FOUND');
  t.equal(r.json.detail, 'console file "index.html" (the console is not built: npm run build) not found');
});
