// Triage in Chromium: a rejected request's reasons (codes in words and the
// API's messages), and an accepted one's handler, escalation vehicle and due
// time in the partner's zone (the browser runs in Asia/Kolkata).
import t from 'tap';
import { startConsole, type ConsoleHarness } from './harness.js';

t.setTimeout(120_000);
let h: ConsoleHarness;
t.before(async () => {
  h = await startConsole();
  // a customer of its own (whatever the demo seeds): Essential from October 2026
  const c = await h.api('POST', './customers', { id: 'triage-co', name: 'Triage Co' });
  const s = await h.api('POST', './subscriptions', { id: 'triage-ess', customer: 'triage-co', offering: 'essential', start: '2026-10-01' });
  if (c.status !== 201 || s.status !== 201) throw new Error(`seeding failed: ${c.text} ${s.text}`);
  await h.signIn(h.viewerToken);
});
t.teardown(() => h?.close());

/** Fills the triage form, presses Evaluate, resolves with the body posted and the API's answer. */
async function evaluate(fields: Record<string, string>): Promise<{ body: any; answer: any }> {
  await h.goto('triage');
  // the page evaluates its first form on arrival: let that answer land first
  await h.page.locator('.page-triage .result > *').first().waitFor();
  for (const [name, value] of Object.entries(fields)) {
    const el = h.page.locator(`.triage-form [name="${name}"]`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  const posted = h.page.waitForResponse((r) => r.url().endsWith('/v1/partners/contoso/evaluate'));
  await h.page.getByRole('button', { name: 'Evaluate' }).click();
  const res = await posted;
  await h.page.locator('#decision').waitFor();
  return { body: JSON.parse(res.request().postData() ?? 'null'), answer: await res.json() };
}

t.test('a rejected request: its reasons with their codes, in words', async (t) => {
  const at = '2026-10-14T10:00';
  const { body, answer } = await evaluate({ customer: 'triage-co', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: at });
  t.same(
    { ...body, receivedAt: body.receivedAt.slice(0, 19) },
    { customer: 'triage-co', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: `${at}:00` },
  );
  t.equal(body.receivedAt, '2026-10-14T10:00:00-04:00', 'the time is read in New York, not the browser’s zone');
  const api = await h.api('POST', './evaluate', body, h.viewerToken);
  t.same(api.json, answer, 'the console shows the API’s decision for that body');
  t.equal(answer.accepted, false);
  t.equal(await h.page.textContent('#decision'), 'Rejected');
  const codes = await h.page.locator('ul.reasons li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  t.same(codes, answer.reasons.map((r: { code: string }) => r.code));
  t.same(codes, ['SERVICE_NOT_COVERED', 'CHANNEL_NOT_OFFERED']);
  t.equal(await h.page.locator('ul.reasons li strong').first().textContent(), 'The service is not covered by the offering');
  t.equal(await h.page.locator('ul.reasons li .muted').first().textContent(), answer.reasons[0].message);
  t.equal(await h.page.locator('ul.reasons li strong').nth(1).textContent(), 'The channel is not offered by the offering');
  t.equal(await h.page.textContent('#escalation'), 'Advanced Support for Partners');
});

t.test('an accepted request: handler, escalation and the due time in the partner’s zone', async (t) => {
  const { answer } = await evaluate({ customer: 'triage-co', service: 'm365', category: 'billing', severity: 'C', channel: 'email', receivedAt: '2026-10-14T10:00' });
  t.equal(answer.accepted, true);
  t.equal(await h.page.textContent('#decision'), 'Accepted');
  t.equal(await h.page.locator('ul.reasons').count(), 0);
  t.equal(await h.page.textContent('#handled-by'), 'Contoso Cloud Services (the partner)');
  t.equal(await h.page.textContent('#escalation'), 'Microsoft’s commercial support for CSP partners');
  const due = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'America/New_York', timeZoneName: 'short' }).format(Date.parse(answer.responseDueAt));
  t.equal(await h.page.textContent('#due'), due);
  t.equal(due, 'Oct 15, 2026, 4:00 PM EDT', '16 working hours from Wednesday 10:00 (08:00–18:00)');
});

t.test('an empty receive time is stopped by the form before any request', async (t) => {
  await h.goto('triage');
  await h.page.locator('.triage-form [name="receivedAt"]').fill('');
  await h.page.getByRole('button', { name: 'Evaluate' }).click();
  // the browser's own check stops an empty required time before any request
  t.equal(await h.page.locator('.triage-form [name="receivedAt"]').evaluate((e) => (e as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing), true);
});
