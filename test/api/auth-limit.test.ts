// Failed-authentication limiting (issue 8, security): 401s, then 429 with
// Retry-After and no store lookup until the window ends; other addresses and
// successful requests unaffected. The clock is injected: no sleeps. And no
// token ever reaches the logs.
import { Writable } from 'node:stream';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/api/app.js';
import { AuthFailureLimiter } from '../../src/api/auth-limit.js';
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

t.test('no token is ever logged', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const plan = contoso();
  const app = await buildApp({ repo: s.repo, plans: new Map([[plan.partner.id, plan]]), logger: { level: 'trace', stream } });
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
