// The quote calculator in Chromium: a quote built in the form is priced by
// POST /quotes as typed, and the console's total is the API's for the same
// document, to the digit; an API refusal shows its code.
import t from 'tap';
import { startConsole, type ConsoleHarness } from './harness.js';

t.setTimeout(120_000);
let h: ConsoleHarness;
t.before(async () => {
  h = await startConsole();
  await h.signIn(h.adminToken);
});
t.teardown(() => h?.close());

// Expected money is formatted from the decimal text itself (Intl reads a string exactly; no float).

/** Types into a field and resolves with the quote document the console posts after it (debounced) and the API's answer to it. */
async function typeAndPrice(action: () => Promise<void>, typed?: (body: any) => boolean): Promise<{ body: any; answer: any; status: number }> {
  // `typed` picks the post that carries what was typed: a post of the form as it stood before (the page's first quote,
  // answered late on a loaded machine) must not be taken for it
  const posted = h.page.waitForResponse(
    (r) => r.url().endsWith('/v1/partners/contoso/quotes') && r.request().method() === 'POST' && (!typed || typed(JSON.parse(r.request().postData() ?? 'null'))),
  );
  await action();
  const res = await posted;
  // the latest quote answered (the form posts once per pause in typing)
  await h.page.locator('.page-quote .result[aria-busy="false"]').waitFor({ state: 'attached' });
  return { body: JSON.parse(res.request().postData() ?? 'null'), answer: await res.json(), status: res.status() };
}

t.test('a quote built in the form: its total is the API’s for the same body', async (t) => {
  await h.goto('quote', { offering: 'standard' });
  await typeAndPrice(() => h.page.fill('input[name="period"]', '2026-10'));
  t.equal(await h.page.inputValue('input[name="start"]'), '2026-10-01', 'the start follows the month');
  await h.page.fill('input[name="metric-seats"]', '25');
  await h.page.fill('input[name="hours"]', '3.5');
  await h.page.fill('input[name="spend-azure"]', '2000.00');
  await h.page.fill('input[name="taxRate"]', '8.25%');
  const last = await typeAndPrice(() => h.page.fill('input[name="price-seats"]', '3.50'), (b) => b?.subscriptions?.[0]?.prices?.seats?.amount === '3.50' && b?.customer?.taxRate === '8.25%');
  // the posted document is the form's
  const sub = last.body.subscriptions[0];
  t.same(sub, { id: 'quote', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 25, from: '2026-10-01' }], prices: { seats: { amount: '3.50' } } });
  t.same(last.body.worklogs, [{ id: 'work', offering: 'standard', start: '2026-10-01T10:00:00-04:00', minutes: 210 }]);
  t.same(last.body.spend, [{ service: 'azure', amount: '2000.00' }]);
  t.same(last.body.customer, { id: 'quote', name: 'Quote', locale: 'en-US', taxRate: '8.25%' });

  // the API, asked directly with the same body, answers the same total
  const api = await h.api('POST', './quotes', last.body);
  t.equal(api.status, 200);
  const total = h.page.locator('#quote-total');
  t.equal(await total.getAttribute('data-amount'), api.json.total, 'the console’s total is the API’s, as text');
  t.equal(api.json.total, '733.39', '250.00 + 25 × 3.50 + 1.5 h × 120.00 + 8% of 2,000.00 = 677.50, tax 8.25% 55.89');
  t.equal(await total.textContent(), '$733.39');
  const amounts = await h.page.locator('table.lines tbody tr td:nth-child(4)').allTextContents();
  t.same(amounts, api.json.lines.map((l: { amount: string }) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(l.amount as unknown as number)));
  const override = await h.page.locator('table.lines tbody tr', { hasText: 'seats' }).locator('.badge').textContent();
  t.equal(override, 'customer price');
});

t.test('switching to zh-CN: the same quote, texts and money in zh-CN', async (t) => {
  await h.page.selectOption('header select[name="locale"]', 'zh-CN');
  await h.page.locator('html[lang="zh-CN"]').waitFor();
  await h.page.locator('#quote-total').waitFor();
  t.equal(await h.page.locator('nav a[aria-current="page"]').textContent(), '报价');
  t.equal(await h.page.locator('.page-quote h1').textContent(), '报价');
  const total = await h.page.locator('#quote-total').textContent();
  t.equal(total, new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 }).format((await h.page.locator('#quote-total').getAttribute('data-amount')) as unknown as number));
  t.not(total, '$733.39', 'the zh-CN form of the amount differs from the en-US one');
  t.equal(await h.page.textContent('#role'), '管理员');
  await h.page.selectOption('header select[name="locale"]', 'en-US');
  await h.page.locator('html[lang="en-US"]').waitFor();
});

t.test('a refused quote shows the API’s code and message', async (t) => {
  await h.goto('quote', { offering: 'standard', period: '2026-10' });
  const r = await typeAndPrice(() => h.page.fill('input[name="taxRate"]', 'lots'), (b) => b?.customer?.taxRate === 'lots');
  t.equal(r.status, 400);
  const api = await h.api('POST', './quotes', r.body);
  t.equal(api.status, 400);
  t.equal(await h.page.locator('.page-quote .result .error .code').textContent(), api.json.code);
  t.equal(await h.page.locator('.page-quote .result .error .message').textContent(), api.json.detail);
  t.equal(api.json.code, 'INVALID_BODY');
});
