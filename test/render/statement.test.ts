// Support statement (SPEC §4.6, §5): HTML items on the parsed document, both
// locales; CSV parses back to the JSON's numbers; Markdown and JSON formats.
import t from 'tap';
import { renderStatement } from '../../src/render/index.js';
import { catalogs } from '../../src/render/i18n.js';
import { contoso, contosoStatement, gulf } from './fixtures.js';
import { LOCALES, money, norm, parse, texts } from './helpers.js';

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF) for the tests. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

t.test('statement HTML: header, lines, totals, service levels, requests, chart', async (t) => {
  const plan = contoso();
  const st = contosoStatement();
  for (const locale of LOCALES) {
    t.test(locale, async (t) => {
      const cat = catalogs[locale];
      const res = renderStatement(st, { plan, format: 'html', locale, customer: { id: 'northwind', name: 'Northwind Traders' } });
      t.match(res.contentType, /^text\/html/);
      const doc = parse(res.body);
      t.equal(doc.documentElement.getAttribute('lang'), locale);
      t.equal(norm(doc.querySelector('#partner-name')!.textContent!), 'Contoso Cloud Services');
      t.match(norm(doc.querySelector('#customer-name')!.textContent!), 'Northwind Traders');
      t.equal(doc.querySelectorAll('link[href], script, img, iframe').length, 0, 'self-contained');
      t.match(res.body, /@page\s*\{/, 'print CSS');

      const rows = [...doc.querySelectorAll('#lines-table tbody tr')];
      t.equal(rows.length, st.lines.length, 'one row per line');
      rows.forEach((r, i) => {
        const amount = norm(r.querySelectorAll('td')[4].textContent!);
        t.equal(amount, money(st.lines[i].amount, 'USD', locale, 'symbol'), `line ${i} amount`);
      });
      const foot = [...doc.querySelectorAll('#lines-table tfoot tr')].map((r) => norm(r.querySelectorAll('td')[4].textContent!));
      t.same(foot, [st.subtotal, st.tax, st.total].map((a) => money(a, 'USD', locale, 'symbol')), 'subtotal, tax, total');
      t.equal(norm(doc.querySelector('#lines-table tfoot tr:last-child td')!.textContent!), cat['statement.total']);
      // exact, even beyond float precision
      t.ok(norm(doc.body.textContent!).includes(locale === 'en-US' ? '$987,555,547,180.62' : 'US$987,555,547,180.62'));

      const sl = texts(doc, '#service-levels .value');
      t.same(sl.slice(0, 4), ['4', '2', '1', '1'], 'requests, met, breached, open');

      const reqRows = [...doc.querySelectorAll('#requests-table tbody tr')];
      t.same(reqRows.map((r) => r.getAttribute('data-status')), ['met', 'breached', 'met', 'open']);
      t.same(reqRows.map((r) => norm(r.querySelectorAll('td')[6].textContent!)), ['met', 'breached', 'met', 'open'].map((s) => cat[`statement.status.${s as 'met'}`]));
      // received 2026-10-09T17:00-04:00 shown in the partner's zone, due the next day 11:00
      t.match(norm(reqRows[1].querySelectorAll('td')[2].textContent!), /17:00/);
      t.match(norm(reqRows[1].querySelectorAll('td')[4].textContent!), /11:00/);
      t.equal(norm(reqRows[3].querySelectorAll('td')[5].textContent!), cat['statement.notYet']);

      const svg = doc.querySelector('#chart svg')!;
      t.ok(svg, 'inline SVG chart');
      t.equal(svg.querySelectorAll('rect.bar').length, 4, 'one bar segment per week and severity');
      t.equal(svg.querySelectorAll('g.week').length, 5, 'five weeks in October');
      t.ok(svg.querySelector('polyline.hours'), 'hours worked series');
      t.ok(norm(svg.querySelector('title')!.textContent!).length > 0);
    });
  }
});

t.test('CSV opens as the same numbers as JSON', async (t) => {
  const st = contosoStatement();
  const plan = contoso();
  const json = JSON.parse(renderStatement(st, { plan, format: 'json' }).body);
  const csv = renderStatement(st, { plan, format: 'csv' });
  t.match(csv.contentType, /^text\/csv/);
  t.ok(csv.body.endsWith('\r\n'));
  const rows = parseCsv(csv.body);
  const [head, ...data] = rows;
  t.same(head, ['offering', 'component', 'model', 'kind', 'description', 'quantity', 'unit', 'unitPrice', 'amount', 'currency']);
  t.equal(data.length, json.lines.length);
  const col = (name: string) => head.indexOf(name);
  data.forEach((r, i) => {
    t.equal(r[col('amount')], json.lines[i].amount, `line ${i}: amount text`);
    t.equal(Number(r[col('amount')]), Number(json.lines[i].amount), `line ${i}: as a number`);
    t.equal(r[col('offering')], json.lines[i].offering);
    t.equal(r[col('component')], json.lines[i].component);
  });
  // sum of the CSV amounts in exact cents equals the JSON subtotal
  const cents = (s: string) => BigInt(s.replace('.', ''));
  t.equal(data.reduce((a, r) => a + cents(r[col('amount')]), 0n), cents(json.subtotal));
  // negative amounts stay numbers (no formula-protection prefix)
  t.equal(data[5][col('amount')], '-98765434.56');
  t.equal(data[5][col('description')], "'-10% discount", 'text starting with - is protected');
});

t.test('JSON is the statement', async (t) => {
  const st = contosoStatement();
  const res = renderStatement(st, { plan: contoso(), format: 'json' });
  t.match(res.contentType, /^application\/json/);
  t.same(JSON.parse(res.body), st);
});

t.test('Markdown statement', async (t) => {
  const md = renderStatement(contosoStatement(), { plan: contoso(), format: 'md', locale: 'zh-CN' }).body;
  t.match(md, /^# 支持服务账单 2026年10月/);
  t.match(md, /\*\*合计\*\* \|\s+\|\s+\|\s+\| \*\*US\$987,555,547,180\.62\*\* \|/);
  t.match(md, /\| 1–7日 \|/);
});

t.test('KWD has three decimals; empty month renders', async (t) => {
  const plan = gulf();
  const doc = parse(
    renderStatement(
      {
        partner: 'gulf',
        customer: 'acme',
        period: '2027-02',
        currency: 'KWD',
        lines: [{ offering: 'managed', component: 'minimum', description: 'Minimum', amount: '100.000' }],
        subtotal: '100.000',
        tax: '0.000',
        total: '100.000',
        serviceLevels: { requests: 0, met: 0, breached: 0 },
        planHash: plan.hash,
      },
      { plan, format: 'html' },
    ).body,
  );
  t.equal(norm(doc.querySelector('#lines-table tfoot tr:last-child td:last-child')!.textContent!), money('100.000', 'KWD', 'en-US', 'symbol'));
  t.match(norm(doc.querySelector('#lines-table tfoot tr:last-child td:last-child')!.textContent!), /100\.000/);
  t.equal(doc.querySelectorAll('#chart g.week').length, 4, 'February 2027: four weeks');
  t.equal(doc.querySelectorAll('#chart rect.bar').length, 0);
  t.ok(doc.querySelector('#requests p'), 'no requests said so');
});
