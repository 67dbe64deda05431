// docs/partner-center.md's worked example, run as written: the file, the
// summary, the statement line in both locales. Also retail basis without
// retail (SPEND_BASIS_MISSING) and negative spend through the API.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { importPartnerCenter } from '../../src/partner-center/import.js';
import { billingInput } from '../../src/app/statements.js';
import { priceStatement } from '../../src/billing/statement.js';
import { describeStatement } from '../../src/render/lines.js';
import { startServer, type Server } from '../api/helpers.js';
import { contosoWithMatchers, T_NORTHWIND } from './files.js';

const doc = readFileSync('docs/partner-center.md', 'utf8');
/** The fenced block after `<!-- example: name -->`. */
const example = (name: string): string => {
  const m = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/partner-center.md has no example "${name}"`);
  return m[1]!;
};

const plan = contosoWithMatchers({ retail: true });
let s: Server;
t.before(async () => {
  s = await startServer([plan]);
  for (const [path, body] of [
    ['/customers', { id: 'northwind', name: 'Northwind Traders', tenantId: T_NORTHWIND }],
    ['/subscriptions', { id: 'nw-standard', customer: 'northwind', offering: 'standard', start: '2026-10-01' }],
  ] as const) {
    const a = await s.call('POST', path, { body });
    if (a.status !== 201) throw new Error(a.text);
  }
});
t.teardown(() => s.close());

const statementLine = async (locale: 'en-US' | 'zh-CN'): Promise<string> => {
  const st = priceStatement((await billingInput(s.repo, plan, 'northwind', '2026-10'))!);
  const l = describeStatement(st, plan, { locale }).lines.find((x) => x.component === 'azure')!;
  return `${l.description} — ${l.amount}`;
};

t.test('the worked example of docs/partner-center.md', async (t) => {
  const file = example('usage.csv');
  const summary = await importPartnerCenter(s.repo, plan, Readable.from([Buffer.from(file)]), { file: 'usage.csv' });
  t.same(summary, JSON.parse(example('summary')));
  t.equal(await statementLine('en-US'), example('line en-US').trim());
  t.equal(await statementLine('zh-CN'), example('line zh-CN').trim());
  const again = await importPartnerCenter(s.repo, plan, Readable.from([Buffer.from(file)]), { file: 'usage.csv' });
  t.same(again.imported, { records: 1, created: 0, replaced: 1, cost: '2188.53' });
  t.equal(await statementLine('en-US'), example('line en-US').trim(), 'the statement does not change');
});

t.test('negative spend is accepted everywhere; plain spend gets a deterministic id; retail basis without retail warns', async (t) => {
  const body = { customer: 'northwind', period: '2026-10', service: 'azure', amount: '-131.70' };
  const a = await s.call('POST', '/spend', { body });
  const b = await s.call('POST', '/spend', { body });
  t.same([a.status, b.status, a.json.id, b.json.id, a.json.amount], [201, 201, 'spend-' + a.json.id.slice(6), a.json.id, '-131.70'], 'the same row twice is one record');
  t.match(a.json.id, /^spend-[0-9a-f]{32}$/);
  const st = priceStatement((await billingInput(s.repo, plan, 'northwind', '2026-10'))!);
  // retail 2431.70 plus the credit at its cost: 2300.00 × 8 % = 184.00
  // the core gives facts; the document words them in the statement's locale
  t.same(st.warnings, [{ code: 'SPEND_BASIS_MISSING', component: 'azure', services: ['azure'] }]);
  t.same(describeStatement(st, plan, { locale: 'en-US' }).warnings, [{ code: 'SPEND_BASIS_MISSING', message: 'azure: retail basis, but spend of Microsoft Azure has no retail value; its cost was used' }]);
  t.same(describeStatement(st, plan, { locale: 'zh-CN' }).warnings, [{ code: 'SPEND_BASIS_MISSING', message: `azure：按零售价计费，但 ${plan.services.get('azure')!.name['zh-CN'] ?? 'Microsoft Azure'} 的消费没有零售价，已按成本计` }]);
  t.equal(describeStatement(st, plan, { locale: 'en-US' }).lines.find((l) => l.component === 'azure')!.amount, '184.00');
  const other = await s.call('POST', '/spend', { body: { ...body, amount: '-5000.00' } });
  t.same([other.status, other.json.code], [409, 'RECORD_CONFLICT'], 'another amount for the same key conflicts instead of adding up');
  // a credit larger than the spend: the charge stops at zero, then the minimum (100.00) applies
  const big = await s.call('POST', '/spend', { body: { ...body, id: 'big-credit', amount: '-9000', retail: '-9000' } });
  t.equal(big.status, 201);
  // a quote takes the same signed amounts and retail (one rule for every way spend comes in)
  const quote = await s.call('POST', '/quotes', {
    body: {
      partner: 'contoso', period: '2026-10', customer: { id: 'prospect' }, subscriptions: [{ offering: 'standard', start: '2026-10-01' }],
      spend: [{ service: 'azure', amount: '2000.00', retail: '2500.00' }, { service: 'azure', amount: '-100.00', retail: '-125.00' }],
    },
  });
  const q = quote.json.lines.find((l: { component: string }) => l.component === 'azure');
  t.same([quote.status, q.description, q.amount, quote.json.warnings], [200, 'Standard: azure, 8% of Microsoft Azure spend at retail price, 2375.00', '190.00', undefined]);
  const st2 = priceStatement((await billingInput(s.repo, plan, 'northwind', '2026-10'))!);
  t.equal(describeStatement(st2, plan, { locale: 'en-US' }).lines.find((l) => l.component === 'azure')!.amount, '100.00');
});
