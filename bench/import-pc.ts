// Benchmark `import-pc`: lines per second importing a generated 1,000,000-line
// new commerce daily rated usage file (Microsoft's 55 documented columns,
// quoted cells with commas) through importPartnerCenter into a fresh SQLite
// store, against csv-parse reading the same file with no further work, in the
// same run; plus the import's peak RSS (the file is streamed: it must stay
// flat whatever the file's size). Each side runs in its own child process so
// the RSS is the import's alone; best of 2 rounds each.
//   node --import tsx bench/import-pc.ts            (BENCH_PC_LINES=200000 for a quick run)
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { DAILY_COLUMNS } from '../src/partner-center/columns.js';
import { importPartnerCenter } from '../src/partner-center/import.js';
import { loadPlan } from '../src/plans/load.js';
import type { Plan } from '../src/plans/types.js';
import { openSqlite } from '../src/store/sqlite.js';
import { CONTOSO_FILE, contosoSource, prng } from './data.js';
import type { BenchResult } from './types.js';
import { fmt, isMain, line, nowMs, peakRssMb, result } from './util.js';

const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const LINES = Number(process.env.BENCH_PC_LINES ?? 1_000_000);
const TENANTS = 200;

const tenant = (i: number): string => `${(0x10000000 + i).toString(16)}-9651-43a3-ba7e-7cbcd918fc40`;

/** contoso with matchers on its services (§12.1). */
function planWithMatchers(): Plan {
  const src = contosoSource().replace(
    /\n {2}azure: Microsoft Azure\n {2}m365: Microsoft 365\n/,
    '\n  azure:\n    name: Microsoft Azure\n    match: { subscriptionDescription: ["Azure plan*"] }\n  m365:\n    name: Microsoft 365\n    match: { productName: ["Microsoft 365*"] }\n',
  );
  const r = loadPlan(src, CONTOSO_FILE);
  if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.plan;
}

const PRODUCTS = [
  ['Virtual Machines Dv3 Series', 'D2 v3', 'Virtual Machines', 'Azure plan'],
  ['Storage', 'Standard LRS', 'Storage', 'Azure plan'],
  ['Azure App Service', 'P1 v2', 'Azure App Service', 'Azure plan'],
  ['Bandwidth', 'Inter-Region, Intra Continent', 'Bandwidth', 'Azure plan'],
  ['Power BI Embedded', 'A1', 'Power BI Embedded', 'Power BI'], // matches no service: reported
] as const;

/** Writes the file once (streamed); deterministic, so the cached copy is reused across runs. */
async function generate(file: string, lines: number): Promise<void> {
  const rnd = prng(20261201);
  const part = `${file}.part`;
  const out = createWriteStream(part);
  const col = new Map<string, number>(DAILY_COLUMNS.map((c, i) => [c, i]));
  const row: string[] = DAILY_COLUMNS.map(() => '');
  const set = (c: string, v: string) => (row[col.get(c)!] = v);
  set('PartnerId', 'aaaabbbb-0000-cccc-1111-dddd2222eeee');
  set('PartnerName', '"Contoso Partners, Ltd"');
  set('CustomerCountry', 'US');
  set('MpnId', '1234567');
  set('BillingCurrency', 'USD');
  set('PricingCurrency', 'USD');
  set('PCToBCExchangeRate', '1');
  set('PCToBCExchangeRateDate', '10/1/2026');
  set('ChargeStartDate', '10/1/2026');
  set('ChargeEndDate', '10/31/2026');
  set('ChargeType', 'new');
  set('UnitType', '1 Hour');
  set('PublisherName', 'Microsoft');
  out.write('\uFEFF' + DAILY_COLUMNS.join(',') + '\r\n');
  let buf = '';
  for (let i = 0; i < lines; i++) {
    const t = Math.floor(rnd() * TENANTS);
    const p = PRODUCTS[Math.floor(rnd() * PRODUCTS.length)]!;
    const qty = (rnd() * 100).toFixed(6);
    const price = (0.01 + rnd()).toFixed(4);
    set('CustomerId', tenant(t));
    set('CustomerName', `"Customer ${t}, Inc."`);
    set('CustomerDomainName', `c${t}.onmicrosoft.com`);
    set('ProductName', p[0]);
    set('SkuName', /,/.test(p[1]) ? `"${p[1]}"` : p[1]);
    set('MeterCategory', p[2]);
    set('SubscriptionDescription', p[3]);
    set('UsageDate', `10/${1 + (i % 31)}/2026`);
    set('UnitPrice', price);
    set('Quantity', qty);
    set('BillingPreTaxTotal', ((Number(price) * Number(qty) * 85) / 100).toFixed(8));
    set('ResourceURI', `/subscriptions/${t}/resourceGroups/rg-${i % 50}/providers/Microsoft.Compute/virtualMachines/vm${i % 997}`);
    set('Tags', `"{""env"":""prod"",""team"":""a,b""}"`);
    set('InvoiceNumber', i % 10 === 0 ? '' : 'G000000001');
    buf += row.join(',') + '\r\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  renameSync(part, file);
}

interface WorkerAnswer {
  readonly seconds: number;
  readonly lines: number;
  readonly peakRssMb: number;
}

/** One side, in this (child) process. */
async function worker(mode: 'import' | 'parse', file: string): Promise<WorkerAnswer> {
  if (mode === 'parse') {
    const t0 = nowMs();
    let lines = 0;
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), parse({ bom: true }), new Writable({ objectMode: true, write: (_r, _e, cb) => (lines++, cb()) }));
    return { seconds: (nowMs() - t0) / 1000, lines: lines - 1, peakRssMb: peakRssMb() };
  }
  const plan = planWithMatchers();
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bench-pc-'));
  try {
    const repo = await openSqlite(join(dir, 'store.db'));
    await repo.insertMany(
      plan.partner.id,
      'customers',
      Array.from({ length: TENANTS }, (_, i) => ({ record: { id: `c${i}`, name: `Customer ${i}`, locale: null, taxRate: null, email: null, tenantId: tenant(i) }, bodyHash: `h${i}` })),
    );
    const t0 = nowMs();
    const s = await importPartnerCenter(repo, plan, createReadStream(file, { highWaterMark: 1 << 20 }), { file });
    const seconds = (nowMs() - t0) / 1000;
    await repo.close();
    return { seconds, lines: s.lines, peakRssMb: peakRssMb() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const child = (mode: string, file: string): WorkerAnswer =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', SELF, '--worker', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop()!) as WorkerAnswer;

export async function runImportPcBench(): Promise<BenchResult[]> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, `pc-daily-${LINES}.csv`);
  let genText = 'cached file';
  if (!existsSync(file)) {
    const g0 = nowMs();
    await generate(file, LINES);
    genText = `file generated in ${fmt((nowMs() - g0) / 1000)} s`;
  }
  const imports: WorkerAnswer[] = [];
  const parses: WorkerAnswer[] = [];
  for (let round = 0; round < 2; round++) {
    parses.push(child('parse', file));
    imports.push(child('import', file));
  }
  const best = (xs: WorkerAnswer[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const imp = best(imports);
  const par = best(parses);
  const rss = Math.max(...imports.map((x) => x.peakRssMb));
  console.log(
    `import-pc: ${imp.lines.toLocaleString('en-US')} lines in ${fmt(imp.seconds)} s; csv-parse alone ${fmt(par.seconds)} s; ` +
      `peak RSS ${fmt(rss)} MB (csv-parse alone ${fmt(Math.max(...parses.map((x) => x.peakRssMb)))} MB; ${genText})`,
  );
  return [
    result('import-pc', imp.lines / imp.seconds, 'lines/s', 'csv-parse reading the same file, no further work', par.lines / par.seconds),
    result('import-pc peak RSS', rss, 'MB', 'limit', 512),
  ];
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === '--worker') {
    console.log(JSON.stringify(await worker(process.argv[3] as 'import' | 'parse', process.argv[4]!)));
  } else {
    for (const r of await runImportPcBench()) console.log(line(r));
  }
}
