// Failed-authentication limiting (issue 8, security): 401s, then 429 with
// Retry-After and no store lookup until the window ends; other addresses and
// successful requests unaffected. The clock is injected: no sleeps. And no
// token ever reaches the logs.
import { Writable } from 'node:stream';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/api/app.js';
import { AuthFailureLimiter, clientKey } from '../../src/api/auth-limit.js';
import { contoso } from '../render/fixtures.js';
import { seed, startServer, type Server } from './helpers.js';

const WINDOW = 60_000;

interface Rig {
  readonly s: Server;
  readonly app: FastifyInstance;
  readonly clock: { now: number };
  readonly lookups: { n: number };
  call(ip: string, token: string | null): Promise<{ status: number; retryAfter: string | undefined; type: string; body: string }>;
}

async function rig(t: { teardown(fn: () => unknown): void }, more: Partial<BuildOptions> = {}): Promise<Rig> {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const clock = { now: 1_000_000 };
  const lookups = { n: 0 };
  const findToken = s.repo.findToken.bind(s.repo);
  s.repo.findToken = (token: string) => {
    lookups.n++;
    return findToken(token);
  };
  const plan = contoso();
  const app = await buildApp({
    repo: s.repo,
    plans: new Map([[plan.partner.id, plan]]),
    authLimit: { max: 3, windowMs: WINDOW, now: () => clock.now },
    cache: false, // every authentication asks the store, so "no lookup" is visible
    ...more,
  });
  t.teardown(() => app.close());
  return {
    s,
    app,
    clock,
    lookups,
    call: async (ip, token) => {
      const r = await app.inject({
        method: 'GET',
        url: '/v1/partners/contoso/customers',
        remoteAddress: ip,
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      return { status: r.statusCode, retryAfter: r.headers['retry-after'] as string | undefined, type: String(r.headers['content-type']), body: r.body };
    },
  };
}

t.test('three failures, then 429 with Retry-After and no store lookup', async (t) => {
  const r = await rig(t);
  for (let i = 0; i < 3; i++) t.equal((await r.call('10.0.0.1', 'tb_guess' + i)).status, 401);
  const before = r.lookups.n;
  const limited = await r.call('10.0.0.1', 'tb_guess-again');
  t.equal(limited.status, 429);
  t.equal(limited.retryAfter, '60');
  t.match(limited.type, /application\/problem\+json/);
  t.match(JSON.parse(limited.body), { status: 429, title: 'Too Many Requests' });
  t.equal((await r.call('10.0.0.1', r.s.admin)).status, 429, 'the address is refused even with a good token until the window ends');
  t.equal(r.lookups.n, before, 'the store was not asked while the address is refused');

  t.equal((await r.call('10.0.0.2', r.s.admin)).status, 200, 'a good token from another address is unaffected');
  t.equal((await r.call('10.0.0.2', 'tb_wrong')).status, 401, 'and that address has its own count');

  r.clock.now += 30_000;
  t.equal((await r.call('10.0.0.1', r.s.admin)).retryAfter, '30', 'Retry-After counts down');
  r.clock.now += 30_000;
  t.equal((await r.call('10.0.0.1', r.s.admin)).status, 200, 'the window is over');
  t.equal((await r.call('10.0.0.1', 'tb_guess')).status, 401, 'counting starts afresh');
});

t.test('a missing token counts as a failure too', async (t) => {
  const r = await rig(t);
  for (let i = 0; i < 3; i++) t.equal((await r.call('10.0.0.5', null)).status, 401);
  t.equal((await r.call('10.0.0.5', null)).status, 429);
});

t.test('successful requests are never limited, and failures in different windows do not add up', async (t) => {
  const r = await rig(t);
  for (let i = 0; i < 50; i++) t.equal((await r.call('10.0.0.3', r.s.viewer)).status, 200);
  t.equal((await r.call('10.0.0.3', 'tb_typo')).status, 401);
  t.equal((await r.call('10.0.0.3', 'tb_typo')).status, 401);
  for (let i = 0; i < 10; i++) t.equal((await r.call('10.0.0.3', r.s.viewer)).status, 200, 'two failures in, good requests still pass');
  r.clock.now += WINDOW;
  t.equal((await r.call('10.0.0.3', 'tb_typo')).status, 401);
  t.equal((await r.call('10.0.0.3', 'tb_typo')).status, 401);
  t.equal((await r.call('10.0.0.3', r.s.viewer)).status, 200, 'four failures, but in two windows');
  t.equal((await r.call('10.0.0.3', 'tb_typo')).status, 401, 'the third of this window');
  t.equal((await r.call('10.0.0.3', r.s.viewer)).status, 429);
});

t.test('max 0 turns limiting off', async (t) => {
  const r = await rig(t, { authLimit: { max: 0, windowMs: WINDOW } });
  for (let i = 0; i < 10; i++) t.equal((await r.call('10.0.0.4', 'tb_x')).status, 401);
});

t.test('the limiter forgets the oldest address when full', async (t) => {
  const clock = { now: 0 };
  const l = new AuthFailureLimiter({ max: 1, windowMs: WINDOW, maxClients: 2, now: () => clock.now });
  l.fail('a');
  l.fail('b');
  t.ok(l.blockedFor('a') > 0 && l.blockedFor('b') > 0);
  l.fail('c');
  t.equal(l.blockedFor('a'), 0, '"a" made room');
  t.equal(l.blockedFor('c'), WINDOW);
});

t.test('a blocked address stays blocked however many others fail once (issue 21 item 10)', async (t) => {
  const clock = { now: 0 };
  const l = new AuthFailureLimiter({ max: 3, windowMs: WINDOW, maxClients: 10_000, now: () => clock.now });
  for (let i = 0; i < 3; i++) l.fail('203.0.113.7');
  t.equal(l.blockedFor('203.0.113.7'), WINDOW);
  for (let i = 0; i < 20_000; i++) l.fail(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  t.equal(l.blockedFor('203.0.113.7'), WINDOW, 'still blocked after 20,000 other addresses failed once');
  t.equal(l.blockedFor('::ffff:203.0.113.7'), WINDOW, 'the IPv4-mapped form is the same client');
  clock.now += WINDOW;
  t.equal(l.blockedFor('203.0.113.7'), 0, 'the block ends with its window');
});

t.test('IPv6 is counted per /64, IPv4 per address', async (t) => {
  t.equal(clientKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  t.equal(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
  t.equal(clientKey('2001:db8::7'), '2001:db8:0:0::/64');
  t.equal(clientKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  t.equal(clientKey('::1'), '0:0:0:0::/64');
  t.equal(clientKey('::ffff:192.0.2.1'), '192.0.2.1');
  t.equal(clientKey('192.0.2.1'), '192.0.2.1');
  const l = new AuthFailureLimiter({ max: 3, windowMs: WINDOW, now: () => 0 });
  // three addresses of one /64 make three failures of one client
  for (const host of ['1', 'abcd::2', 'ffff:ffff:ffff:3']) l.fail(`2001:db8:1:2:${host.includes(':') ? host : '::' + host}`);
  t.equal(l.blockedFor('2001:db8:1:2::99'), WINDOW, 'the whole /64 is blocked');
  t.equal(l.blockedFor('2001:db8:1:3::1'), 0, 'the next /64 is not');
  for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) l.fail(ip);
  t.equal(l.blockedFor('192.0.2.1'), 0, 'IPv4 neighbours are separate clients');
});

/** An app on the server's store whose log lines are kept in `lines`. */
async function loggingApp(s: Server, level: string): Promise<{ app: FastifyInstance; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const plan = contoso();
  return { app: await buildApp({ repo: s.repo, plans: new Map([[plan.partner.id, plan]]), logger: { level, stream } }), lines };
}

t.test('no token is ever logged', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const { app, lines } = await loggingApp(s, 'trace');
  // A handler that logs the headers (as a debugging session might): redaction still hides the token.
  app.get('/log-headers', async (req) => {
    req.log.info({ headers: req.headers }, 'headers');
    return {};
  });
  t.teardown(() => app.close());
  const send = (url: string, token: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}`, cookie: 'session=s3cret' }, ...(payload ? { payload } : {}) });
  t.equal((await send('/v1/partners/contoso/customers', s.admin)).statusCode, 200);
  t.equal((await send('/v1/partners/contoso/customers', 'tb_not-a-token')).statusCode, 401);
  t.equal((await send('/v1/partners/contoso/customers', s.other)).statusCode, 404);
  t.equal((await send('/v1/partners/contoso/customers', s.viewer, 'POST', { id: 'x', name: 'X' })).statusCode, 403);
  t.equal((await send('/log-headers', s.admin)).statusCode, 200);
  const log = lines.join('');
  t.ok(lines.length >= 10, `the requests were logged (${lines.length} lines)`);
  for (const secret of [s.admin, s.viewer, s.other, 'tb_not-a-token', 's3cret']) t.notOk(log.includes(secret), `"${secret.slice(0, 6)}…" is not in the log`);
  t.match(log, /"authorization":"\[redacted\]"/, 'the logged headers show the token redacted');
});

t.test('tokens in the query string are redacted in the log (issue 21 item 11)', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const { app, lines } = await loggingApp(s, 'info');
  t.teardown(() => app.close());
  await app.inject({ method: 'GET', url: `/v1/partners/contoso/customers?token=${s.admin}&period=2026-10&access_token=${s.viewer}&KEY=${s.other}` });
  await app.inject({ method: 'GET', url: `/health?key=${s.admin}` });
  const log = lines.join('');
  for (const secret of [s.admin, s.viewer, s.other]) t.notOk(log.includes(secret), `"${secret.slice(0, 6)}…" is not in the log`);
  t.match(log, '"url":"/v1/partners/contoso/customers?token=[redacted]&period=2026-10&access_token=[redacted]&KEY=[redacted]"', 'other parameters stay');
  t.match(log, '"url":"/health?key=[redacted]"');
});
