// Soak (issue 8, item 3): a bounded loopback load on a served child process
// (`node bin/tierbook.js serve`, the built CLI, on a temp file database):
// autocannon on POST /evaluate and on POST /batch/requests at the same time
// (the connections split between them; every ingest request carries record
// ids never sent before, so each one writes), for SOAK_SECONDS (60). Reports
// req/s, p50/p99, errors and non-2xx per route, and the server's RSS sampled
// every second: growth is measured from the end of the warm-up (10 s).
// Exit status 1 when any request failed or RSS grew more than 50 MB.
//   npm run soak                          (SOAK_SECONDS=20 SOAK_CONNECTIONS=50 for a shorter one)
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// autocannon ships no types; the fields used are typed below.
// @ts-expect-error no declaration file
import autocannon from 'autocannon';
import { openSqlite } from '../src/store/sqlite.js';
import { evaluateBodies } from './api-evaluate.js';
import { CONTOSO_FILE, customerData, loadContosoPlan, usageBodies, type CustomerData } from './data.js';
import { fmt } from './util.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 100);
const WARM_UP_S = Math.min(10, SECONDS / 3);
const MAX_GROWTH_MB = 50;
const CUSTOMERS = 200; // the customers evaluateBodies draws from (seed 31)
const PER_BATCH = 5;
const BIN = fileURLToPath(new URL('../bin/tierbook.js', import.meta.url));

interface Cannon {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-soak-'));
  const plans = join(dir, 'plans');
  mkdirSync(plans);
  copyFileSync(CONTOSO_FILE, join(plans, 'contoso.yaml'));
  const db = join(dir, 'soak.db');

  // The customers and subscriptions the bodies name, and a token.
  const plan = loadContosoPlan();
  const data = Array.from({ length: CUSTOMERS }, (_, i) => customerData(i, { plan, records: 20, seed: 31 }));
  const repo = await openSqlite(db);
  await repo.insertMany('contoso', 'customers', data.map((d) => d.customer));
  await repo.insertMany('contoso', 'subscriptions', data.flatMap((d) => d.subscriptions));
  const token = await repo.createToken('contoso', 'admin');
  await repo.close();

  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--plans', plans], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const cleanUp = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  try {
    return await load(child.pid!, await listening(child), token, data);
  } finally {
    cleanUp();
  }
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString('utf8');
      const m = /tierbook API on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`tierbook serve exited with ${code}:\n${err}`)));
  });
}

async function load(pid: number, origin: string, token: string, data: readonly CustomerData[]): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const base = '/v1/partners/contoso';
  const templates = data.flatMap((d) => usageBodies(d).requests);
  let sent = 0;
  const evaluate = autocannon({
    url: origin,
    connections: Math.ceil(CONNECTIONS / 2),
    duration: SECONDS,
    requests: evaluateBodies(200).map((b) => ({ method: 'POST', path: `${base}/evaluate`, headers, body: JSON.stringify(b) })),
  }) as Promise<Cannon>;
  const ingest = autocannon({
    url: origin,
    connections: Math.floor(CONNECTIONS / 2),
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: `${base}/batch/requests`,
        headers,
        // fresh ids on every request: each one is a real write, not an id replay
        setupRequest: (req: Record<string, unknown>) => {
          const n = sent++;
          const batch = Array.from({ length: PER_BATCH }, (_, k) => ({ ...templates[(n * PER_BATCH + k) % templates.length]!, id: `soak-${n}-${k}` }));
          return { ...req, body: JSON.stringify(batch) };
        },
      },
    ],
  }) as Promise<Cannon>;

  const samples: Array<{ s: number; mb: number }> = [];
  const t0 = Date.now();
  const timer = setInterval(() => samples.push({ s: (Date.now() - t0) / 1000, mb: rssMb(pid) }), 1000);
  const [ev, ing] = await Promise.all([evaluate, ingest]);
  clearInterval(timer);
  samples.push({ s: (Date.now() - t0) / 1000, mb: rssMb(pid) });

  const warm = samples.find((x) => x.s >= WARM_UP_S) ?? samples[0]!;
  const after = samples.filter((x) => x.s >= warm.s);
  const last = samples[samples.length - 1]!;
  const peak = Math.max(...after.map((x) => x.mb));
  const growth = last.mb - warm.mb;
  const failed = (r: Cannon): number => r.errors + r.timeouts + r.non2xx;
  const show = (name: string, r: Cannon): string =>
    `${name}: ${fmt(r.requests.average)} req/s (${r.requests.total} requests), p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
    `errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx} (statuses ${Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => `${k}×${v.count}`).join(' ')})`;
  console.log(`soak: ${SECONDS} s, ${CONNECTIONS} connections (${Math.ceil(CONNECTIONS / 2)} evaluate, ${Math.floor(CONNECTIONS / 2)} ingest of ${PER_BATCH} requests), load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(show('evaluate', ev));
  console.log(show('ingest  ', ing) + `; ${fmt(ing.requests.average * PER_BATCH)} records/s`);
  console.log(`server RSS: ${fmt(samples[0]!.mb)} MB at 1 s, ${fmt(warm.mb)} MB after warm-up (${fmt(warm.s)} s), peak ${fmt(peak)} MB, last ${fmt(last.mb)} MB: growth ${fmt(growth)} MB (limit ${MAX_GROWTH_MB})`);
  console.log(`RSS every 5 s (MB): ${samples.filter((_, i) => i % 5 === 0).map((x) => fmt(x.mb)).join(' ')}`);
  const bad = failed(ev) + failed(ing);
  if (bad > 0) console.log(`FAIL: ${bad} failed requests`);
  if (growth > MAX_GROWTH_MB) console.log(`FAIL: RSS grew ${fmt(growth)} MB after warm-up`);
  return bad > 0 || growth > MAX_GROWTH_MB ? 1 : 0;
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  return 1;
});
