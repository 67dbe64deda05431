// The error registry (src/errors.ts) and its documentation (docs/errors.md)
// list the same codes with the same HTTP and exit statuses, both ways.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { cliLine, createError, ERR, isTierbookError, TierbookError } from '../src/errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const ROW = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(\d{3})\s*\|\s*([012])\s*\|/gm;
const documented = new Map([...doc.matchAll(ROW)].map((m) => [m[1]!, { status: Number(m[2]), exit: Number(m[3]) }]));

t.test('every registered code is documented with its statuses', async (t) => {
  for (const [key, def] of Object.entries(ERR)) {
    t.equal(def.code, key, `${key} is registered under its own code`);
    t.match(def.code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, `${key} is UPPER_SNAKE`);
    t.same(documented.get(def.code), { status: def.status, exit: def.exit }, `${key} in docs/errors.md`);
  }
});

t.test('every documented code is registered', async (t) => {
  t.ok(documented.size > 0, 'the table parses');
  for (const code of documented.keys()) t.ok(code in ERR, `${code} is in src/errors.ts`);
});

t.test('an error carries its code, statuses, parameters and fields', async (t) => {
  const e = ERR.NOT_FOUND({ what: 'customer "acme"' }, { errors: [{ in: 'body', pointer: '/customer', detail: 'unknown' }] });
  t.ok(e instanceof TierbookError && e instanceof Error);
  t.same([e.code, e.message, e.status, e.exit], ['NOT_FOUND', 'customer "acme" not found', 404, 1]);
  t.same(e.params, { what: 'customer "acme"' });
  t.same(e.errors, [{ in: 'body', pointer: '/customer', detail: 'unknown' }]);
  t.ok(ERR.NOT_FOUND.is(e));
  t.notOk(ERR.USAGE.is(e));
  t.ok(isTierbookError(e, 'NOT_FOUND', 'USAGE'));
  t.notOk(isTierbookError(new Error('x')));
  t.equal(ERR.BODY_TOO_LARGE().message, 'the request body is larger than the limit');
  t.equal(cliLine('quote', ERR.USAGE({ detail: 'unknown format "x"' })), 'tierbook quote: USAGE: unknown format "x"');
  const custom = createError('SOME_CODE', '{a} and {b}', 409, 2);
  t.equal(custom({ a: 1, b: 'two' }).message, '1 and two');
  // @ts-expect-error a missing parameter is a compile error
  custom({ a: 1 });
});

t.test('CLI error lines start with the code and exit with its status', async (t) => {
  const { runDiff } = await import('../src/cli/diff-run.js');
  const { runTerms } = await import('../src/cli/terms-run.js');
  let err = '';
  const io = { cwd: process.cwd(), env: {}, out: () => {}, err: (s: string) => void (err += s) };
  t.equal(await runDiff('HEAD', [], { format: 'xml' }, io), 2);
  t.equal(err, 'tierbook diff: USAGE: unknown format "xml" (expected text, md or json)\n');
  err = '';
  t.equal(await runDiff('HEAD', [], { period: '2026-10' }, io), 2);
  t.equal(err, 'tierbook diff: USAGE: --db and --period only apply with --impact\n');
  err = '';
  t.equal(await runTerms('contoso', 'standard', { format: 'html', plans: 'test/no-such-dir' }, io), 2);
  t.equal(err, 'tierbook terms: PLANS_NOT_FOUND: plans directory test/no-such-dir not found (use --plans DIR or TIERBOOK_PLANS)\n');
});
