// The console's shell in Chromium: the CSP it is served with, sign-in with a
// token (the partner and role shown, a bad token's code), the language switch,
// a viewer's pages without write controls, labelled controls, and every page
// rendering without an error.
import t from 'tap';
import { startConsole, type ConsoleHarness } from './harness.js';

t.setTimeout(120_000);
let h: ConsoleHarness;
t.before(async () => {
  h = await startConsole();
});
t.teardown(() => h?.close());

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

t.test('the console is served with its CSP', async (t) => {
  const res = await h.page.goto(`${h.baseUrl}/console`);
  t.equal(res?.status(), 200);
  t.equal(res?.headers()['content-security-policy'], CSP);
  t.equal(res?.headers()['referrer-policy'], 'no-referrer');
});

t.test('sign in with an admin token: partner and role shown', async (t) => {
  await h.signIn(h.adminToken);
  t.equal(await h.page.textContent('#partner'), 'Contoso Cloud Services (contoso)');
  t.equal(await h.page.textContent('#role'), 'admin');
  t.equal(await h.page.getAttribute('html', 'lang'), 'en-US');
});
