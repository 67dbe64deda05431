// The plan side of SPEC §12: service matchers checked where they stand
// (§12.1), retail basis (§12.3), Microsoft's current vehicles with their
// en-US and zh-CN names (§12.4).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { renderTerms } from '../../src/render/index.js';
import { compileMatcher } from '../../src/partner-center/match.js';

const source = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
const edited = (find: string | RegExp, replace: string): string => {
  const out = source.replace(find, replace);
  if (out === source) throw new Error(`not found: ${String(find)}`);
  return out;
};
const findings = (src: string) => loadPlan(src, 'contoso.yaml').findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.path}: ${f.message}`);

t.test('check refuses bad matchers where they stand', async (t) => {
  const src = edited(
    /\n {2}azure: Microsoft Azure\n {2}m365: Microsoft 365\n/,
    '\n  azure:\n    name: Microsoft Azure\n    match: { meterCategory: [], bogus: ["x"], productName: ["", "*", "A*b", "Azure*"] }\n  m365: { name: Microsoft 365, matches: 1 }\n',
  );
  t.same(findings(src).filter((f) => f.includes(' error ')), [
    '19:29 error services.azure.match.meterCategory: empty list: it would match nothing; give at least one meterCategory or remove the field',
    '19:33 error services.azure.match.bogus: unknown matcher field "bogus" (fields: productId, productName, skuName, meterCategory, subscriptionDescription, publisherName)',
    '19:61 error services.azure.match.productName[0]: empty matcher: it would match nothing',
    '19:65 error services.azure.match.productName[1]: a lone "*" would take every line: write a prefix before it, like "Azure*"',
    '19:70 error services.azure.match.productName[2]: "A*b": "*" may only end a prefix, like "Azure*"',
    '20:32 error services.m365.matches: unknown key "matches" in a service (keys: name, match)',
  ]);
});

t.test('good matchers compile; the first service in file order with a matching field takes a line', async (t) => {
  const r = loadPlan(edited(/\n {2}azure: Microsoft Azure\n/, '\n  azure:\n    name: Microsoft Azure\n    match: { subscriptionDescription: ["Azure plan*"], productName: ["Microsoft Defender for Cloud"] }\n'), 'contoso.yaml');
  t.ok(r.plan);
  const services = [...r.plan!.services.values()];
  t.same(services.map((s) => s.match ?? null), [{ subscriptionDescription: ['Azure plan*'], productName: ['Microsoft Defender for Cloud'] }, null, null]);
  const header = ['ProductName', 'SubscriptionDescription'];
  const m = compileMatcher([...services, { id: 'later', match: { productName: ['Microsoft*'] } }], new Map(header.map((h, i) => [h, i])));
  t.same(
    [['Storage', 'Azure plan 1'], ['Microsoft Defender for Cloud', 'Other'], ['Microsoft 365 E3', ''], ['Power BI', ''], ['', 'Azure plan']].map((row) => m.service(row)),
    ['azure', 'azure', 'later', null, 'azure'],
  );
  const noColumn = compileMatcher([{ id: 'a', match: { meterCategory: ['Storage'] } }], new Map([['ProductName', 0]]));
  t.equal(noColumn.service(['Storage']), null, 'a column the file lacks matches nothing');
});

t.test('percent-of-spend basis: cost or retail, nothing else', async (t) => {
  const line = 'services: [azure], minimum: 100.00, maximum: 5000.00 }';
  t.same(findings(edited(line, line.replace(' }', ', basis: list }'))).filter((f) => f.includes(' error ')).length, 1);
  const retail = loadPlan(edited(line, line.replace(' }', ', basis: retail }')), 'contoso.yaml').plan!;
  const md = renderTerms(retail, 'standard', { format: 'md', locale: 'en-US', at: '2026-10-01' }).body;
  t.match(md, '8% of your monthly spend on Microsoft Azure at retail price');
  t.match(renderTerms(retail, 'standard', { format: 'md', locale: 'zh-CN', at: '2026-10-01' }).body, '您每月在Microsoft Azure上按零售价计的云消费的8%');
});

t.test("Microsoft's vehicles: signature-cloud read as partner-cloud-support with a warning; names in both locales", async (t) => {
  const src = edited('technical: [advanced-support]', 'technical: [signature-cloud, unified-support, partner-cloud-support]');
  t.same(findings(src).filter((f) => f.includes('technical')), [
    '12:17 warning partner.microsoft.technical[0]: signature-cloud is Partner Cloud Support (formerly Signature Cloud Support): write partner-cloud-support; read as partner-cloud-support',
  ]);
  const plan = loadPlan(src, 'contoso.yaml').plan!;
  t.same(plan.partner.microsoft.technical, ['partner-cloud-support', 'unified-support'], 'read once, in order');
  const en = renderTerms(plan, 'standard', { format: 'md', locale: 'en-US', at: '2026-10-01' }).body;
  const zh = renderTerms(plan, 'standard', { format: 'md', locale: 'zh-CN', at: '2026-10-01' }).body;
  t.match(en, 'Partner Cloud Support');
  t.match(en, 'Unified Support');
  t.match(zh, '合作伙伴云支持（Partner Cloud Support，原 Signature Cloud Support）');
  t.match(zh, '统一支持（Unified Support）');
  t.notMatch(zh, '签名云');
});
