// The customers and margin pages in Chromium on the demo of `tierbook start`:
// search finds a customer; its detail shows the subscription with quantities
// and agreed price, the prepaid block balance and each request's decision and
// SLA state as the API answers them; the margin page's total and chart agree
// with GET /reports/margin; a viewer sees no write control; zh-CN texts.
import t from 'tap';
import { startConsole, type ConsoleHarness } from './harness.js';

t.setTimeout(120_000);
let h: ConsoleHarness;
const errors: string[] = [];
t.before(async () => {
  h = await startConsole();
  // page errors and console errors, but not Chromium's own request for /favicon.ico (the shell's business, not these pages')
  h.page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  h.page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(`console: ${m.text()}`);
  });
  await h.signIn(h.adminToken);
});
t.teardown(() => h?.close());

const texts = (selector: string): Promise<string[]> => h.page.locator(selector).allTextContents();

t.test('search finds a customer and opens it', async (t) => {
  await h.goto('customers');
  const all = await h.api('GET', './customers');
  t.same(await texts('table.customer-list [data-customer]'), all.json.items.map((c: { id: string }) => c.id), 'every customer, by id');
  await h.page.fill('input[name="q"]', 'tail');
  await h.page.press('input[name="q"]', 'Enter');
  await h.page.locator('table.customer-list [data-customer="northwind"]').waitFor({ state: 'detached' });
  t.same(await texts('table.customer-list [data-customer]'), ['tailspin']);
  t.same(await texts('table.customer-list tbody tr td:nth-child(2)'), ['Tailspin Toys']);
  await h.page.click('[data-customer="tailspin"]');
  await h.page.locator('.page-customers table.requests').waitFor();
  t.equal(await h.page.textContent('.page-customers h1'), 'Tailspin Toys');
  t.match(h.page.url(), /#\/customers\?id=tailspin$/);
});

t.test('a customer: subscription, quantities, agreed price, requests with SLA state', async (t) => {
  await h.goto('customers', { id: 'tailspin' });
  const subs = (await h.api('GET', './customers/tailspin/subscriptions')).json;
  t.same(await texts('table.subscriptions [data-subscription]'), subs.map((s: { id: string }) => s.id));
  t.same(subs.map((s: { id: string }) => s.id), ['tailspin-standard']);
  const row = h.page.locator('table.subscriptions tbody tr').first();
  t.equal(await row.locator('td').nth(1).textContent(), 'standard');
  const prev = h.demo.period;
  t.match(await row.locator('td').nth(4).textContent(), /20 seats from .*25 seats from /);
  t.equal(await row.locator('.prices').textContent(), 'base: $225.00', 'the agreed price, 10 % off 250.00');

  const list = (await h.api('GET', './requests?customer=tailspin&limit=50')).json.items as { id: string }[];
  t.same(await texts('table.requests [data-request]'), list.map((r) => r.id), 'every request, in the API order');
  const states: Record<string, string | null> = {};
  for (const r of list) states[r.id] = (await h.api('GET', `./requests/${r.id}`)).json.sla?.response.state ?? null;
  const open = `tailspin-${prev.replace('-', '')}-5`;
  t.equal(states[open], 'breached', 'the demo leaves one request unanswered');
  const shown = async (id: string) => {
    const tr = h.page.locator('table.requests tbody tr', { has: h.page.locator(`[data-request="${id}"]`) });
    return { state: await tr.locator('td').nth(4).locator('.sla-state').getAttribute('data-state'), text: await tr.locator('td').nth(4).locator('.sla-state').textContent(), status: await tr.locator('td').nth(6).textContent() };
  };
  t.same(await shown(open), { state: 'breached', text: 'breached', status: 'open' });
  for (const r of list) {
    if (states[r.id] === null) continue;
    t.equal((await shown(r.id)).state, states[r.id], `${r.id}: the response clock's state`);
  }
  const rejected = h.page.locator('table.requests tbody tr', { has: h.page.locator(`[data-request="tailspin-${prev.replace('-', '')}-rejected"]`) });
  t.equal(await rejected.locator('.badge.bad').textContent(), 'rejected');
  t.same(await rejected.locator('.reasons code').allTextContents(), ['SERVICE_NOT_COVERED']);
  t.match(await h.page.locator('table.requests ul.life li.pause').first().textContent(), /^waiting on the customer from .* to /);
  // every request's events as GET /requests/:id/events lists them, in that order
  for (const r of list) {
    const events = (await h.api('GET', `./requests/${r.id}/events`)).json.items as { id: string }[];
    const tr = h.page.locator('table.requests tbody tr', { has: h.page.locator(`[data-request="${r.id}"]`) });
    t.same(await tr.locator('ul.life li.event').evaluateAll((els) => els.map((e) => e.getAttribute('data-event'))), events.map((e) => e.id), `${r.id}: its events`);
  }
  const words = await h.page.locator('table.requests ul.life li.event').allTextContents();
  t.ok(words.length > 0, 'the demo customer has events');
  for (const x of words) t.match(x, /: (responded|status (open|resolved|waiting on (the customer|Microsoft|the provider))|severity changed to \S+)$/, 'an event in words');
});

t.test('prepaid block balances of the period', async (t) => {
  await h.goto('customers', { id: 'wingtip', period: h.demo.period });
  const api = (await h.api('GET', `./subscriptions/wingtip-hours-bank/balances?period=${h.demo.period}`)).json.balances[0];
  const cells = await texts('section.balances tbody tr td');
  const hrs = (m: number) => String(m / 60);
  t.same(cells, ['wingtip-hours-bank · hours', 'hours', hrs(api.opening), hrs(api.granted), hrs(api.used), hrs(api.expired), hrs(api.closing)]);
  t.equal(api.granted, 1200, 'two 10-hour blocks bought last month');
});

t.test('margin: the total and the chart agree with the API', async (t) => {
  await h.goto('margin', { period: h.demo.period });
  const report = (await h.api('GET', `./reports/margin?period=${h.demo.period}`)).json;
  t.equal(await h.page.getAttribute('.margin-total [data-field="revenue"]', 'data-amount'), report.total.revenue);
  t.equal(await h.page.getAttribute('.margin-total [data-field="cost"]', 'data-amount'), report.total.cost);
  t.equal(await h.page.getAttribute('.margin-total [data-field="margin"]', 'data-amount'), report.total.margin);
  t.equal(await h.page.textContent('.margin-total [data-field="percent"]'), report.total.marginPercent);
  const fmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  t.equal(await h.page.textContent('.margin-total [data-field="margin"]'), fmt.format(report.total.margin));
  // one group of two bars per customer, the longest bar the full width
  const groups = await h.page.locator('svg.margin-chart g[data-customer]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-customer')));
  t.same(groups, report.byCustomer.map((r: { key: string }) => r.key));
  const widths = await h.page.locator('svg.margin-chart rect.bar').evaluateAll((rs) => rs.slice(2).map((r) => Number(r.getAttribute('width'))));
  t.equal(Math.max(...widths), 420);
  t.equal(await h.page.locator('svg.margin-chart title').first().textContent(), `Revenue and cost by customer, ${new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.parse(h.demo.period + '-01T00:00:00Z'))}`);
});

t.test('a viewer sees the pages without write controls; zh-CN', async (t) => {
  await h.signIn(h.viewerToken, 'zh-CN');
  await h.goto('customers', { id: 'tailspin' });
  t.equal(await h.page.textContent('.page-customers h2 >> nth=1'), '订阅');
  t.equal(await h.page.locator('.page-customers button').count(), 0, 'no button on the customer page');
  t.ok((await texts('table.requests .sla-state')).includes('超时'));
  await h.goto('margin', { period: h.demo.period });
  t.equal(await h.page.textContent('.page-margin h1'), '利润率');
  t.equal(await h.page.locator('.page-margin button').count(), 0);
  await h.goto('customers');
  t.equal(await h.page.textContent('.page-customers h1'), '客户');
  t.equal(await h.page.locator('.page-customers .write').count(), 0);
  t.same(errors, [], 'no page or console error');
});
