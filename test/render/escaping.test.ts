// Every text from plans and data is escaped: HTML (parsed, not string-matched),
// Markdown, and CSV formula injection.
import t, { type Test } from 'tap';
import { renderStatement, renderTerms } from '../../src/render/index.js';
import { csvCell } from '../../src/render/csv.js';
import { escapeMarkdown } from '../../src/render/engine.js';
import type { Plan } from '../../src/plans/types.js';
import { contoso, contosoStatement } from './fixtures.js';
import { norm, parse } from './helpers.js';
import type { Doc } from './helpers.js';

const XSS = '<img src=x onerror=alert(1)>';
const HB = '{{partner.name}} {{{raw}}} {{#each x}}';

/** A plan whose every text carries markup, template syntax and Markdown. */
function hostilePlan(): Plan {
  const base = contoso({
    partnerName: { 'en-US': `Contoso ${HB} <script>alert(1)</script>`, 'zh-CN': `康托索 ${HB} <b>粗</b>` },
    offeringName: { 'en-US': `Essential ${HB} *bold* | pipe`, 'zh-CN': `基础 ${XSS}` },
  });
  const ess = base.offerings.get('essential')!;
  const services = new Map(base.services);
  services.set('m365', { id: 'm365', name: { 'en-US': `M365 ${XSS} [link](javascript:alert(1))` } });
  const channels = new Map(base.channels);
  channels.set('email', { ...channels.get('email')!, address: `"><svg onload=alert(1)>@x.example` });
  channels.set('portal', { ...channels.get('portal')!, address: 'javascript:alert(1)', description: { 'en-US': `Portal ${XSS}` } });
  const sevs = new Map(ess.severities);
  sevs.set('B', { ...sevs.get('B')!, name: { 'en-US': `High ${XSS}` } });
  const offering = {
    ...ess,
    summary: { 'en-US': `Summary ${XSS} ${HB}\n# heading\n- item` },
    severities: sevs,
    includes: [{ 'en-US': `=cmd|' /C calc'!A0 ${XSS}` }],
    excludes: [{ 'en-US': `\`code\` ~~strike~~ ${HB}` }],
    pricing: ess.pricing.map((c) => ({ ...c, description: { 'en-US': `Fee ${XSS}` } })),
  };
  return { ...base, services, channels, offerings: new Map([...base.offerings, ['essential', offering]]) };
}

function noInjectedMarkup(t: Test, doc: Doc) {
  t.equal(doc.querySelectorAll('img, script:not([type]), svg[onload], b, iframe').length, 0, 'no injected elements');
  const withHandlers = [...doc.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)));
  t.equal(withHandlers.length, 0, 'no event-handler attributes');
  t.equal(doc.querySelectorAll('a[href^="javascript" i]').length, 0, 'no javascript: links');
}

t.test('terms HTML escapes every text from the plan', async (t) => {
  const plan = hostilePlan();
  for (const locale of ['en-US', 'zh-CN']) {
    const html = renderTerms(plan, 'essential', { format: 'html', locale, at: '2026-11-20', customer: { id: 'evil', name: XSS } }).body;
    const doc = parse(html);
    noInjectedMarkup(t, doc);
    const text = norm(doc.body.textContent!);
    t.ok(norm(doc.querySelector('#customer-name')!.textContent!).includes(XSS), 'customer name shown literally');
    t.ok(text.includes(HB), 'template syntax in plan text shown literally, not evaluated');
    if (locale === 'en-US') {
      t.ok(text.includes('<script>alert(1)</script>'), 'partner name literal');
      t.ok(text.includes(`M365 ${XSS}`), 'service name literal');
      t.ok(text.includes(`High ${XSS}`), 'severity name literal');
      t.ok(text.includes(`Portal ${XSS}`), 'channel description literal');
      t.ok(text.includes(`Fee ${XSS}`), 'component description literal');
      t.ok(text.includes('"><svg onload=alert(1)>@x.example'), 'channel address literal');
    }
    const title = doc.querySelector('title')!;
    t.equal(title.children.length, 0, 'title holds text only');
    if (locale === 'zh-CN') t.ok(title.textContent!.includes(XSS), 'title shows the name literally');
  }
});

t.test('statement HTML escapes customer, descriptions and ids', async (t) => {
  const st = contosoStatement();
  const hostile = {
    ...st,
    lines: st.lines.map((l) => ({ ...l, description: `${l.description} ${XSS}`, unit: l.unit && `${l.unit}<i>` })),
    requests: st.requests!.map((r) => ({ ...r, id: `${r.id}${XSS}` })),
    planHash: `sha256:${XSS}`,
  };
  const doc = parse(renderStatement(hostile, { plan: hostilePlan(), format: 'html', customer: { id: 'evil', name: XSS } }).body);
  noInjectedMarkup(t, doc);
  t.equal(doc.querySelectorAll('i').length, 0);
  t.ok(norm(doc.querySelector('#customer-name')!.textContent!).includes(XSS));
  t.ok(norm(doc.querySelector('#requests-table')!.textContent!).includes(`r-1${XSS}`));
  t.equal(doc.querySelectorAll('#chart svg').length, 1, 'chart survives hostile names');
});

t.test('Markdown escapes Markdown and HTML in user text', async (t) => {
  const plan = hostilePlan();
  const md = renderTerms(plan, 'essential', { format: 'md', locale: 'en-US', at: '2026-11-20', customer: { id: 'evil', name: XSS } }).body;
  t.notOk(md.includes(XSS), 'raw tag never appears');
  t.ok(md.includes('\\<img src=x onerror=alert(1)\\>'), 'tag escaped');
  t.ok(md.includes('\\*bold\\* \\| pipe'), 'emphasis and pipe escaped');
  t.ok(md.includes('\\[link\\](javascript:alert(1))'), 'link syntax escaped');
  t.notOk(/\n# heading/.test(md), 'a newline in user text cannot start a heading');
  t.ok(md.includes('\\`code\\` \\~\\~strike\\~\\~'), 'code and strike escaped');
  // table rows keep their column count despite pipes in names
  const sevRows = md.split('\n').filter((l) => l.startsWith('| B |'));
  t.equal(sevRows.length, 1);
  t.equal(sevRows[0].split(/(?<!\\)\|/).length - 2, 4, 'four cells');
  t.equal(escapeMarkdown('- x'), '\\- x');
  t.equal(escapeMarkdown('1. x'), '1\\. x');
  t.equal(escapeMarkdown('1.25'), '1.25', 'decimals are left readable');
});

t.test('CSV: RFC 4180 quoting and formula-injection protection', async (t) => {
  t.equal(csvCell('plain'), 'plain');
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('say "hi"'), '"say ""hi"""');
  t.equal(csvCell('two\nlines'), '"two\nlines"');
  for (const bad of ['=1+1', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")']) {
    t.ok(csvCell(bad).replace(/^"/, '').startsWith("'"), `${JSON.stringify(bad)} is neutralised`);
  }
  t.equal(csvCell('-12.50'), '-12.50', 'negative amount stays numeric');
  t.equal(csvCell('+12'), "'+12", 'a signed + is not a number we write');
  t.equal(csvCell('-'), "'-");
  const st = contosoStatement();
  const body = renderStatement(
    { ...st, lines: [{ ...st.lines[0], description: '=HYPERLINK("http://evil","x")', offering: '@evil' }] },
    { plan: contoso(), format: 'csv' },
  ).body;
  t.match(body.split('\r\n')[1], /^'@evil,base,flat,,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",/);
});
