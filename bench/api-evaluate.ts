// Benchmark: requests/s of POST /v1/partners/contoso/evaluate over loopback
// (autocannon, 50 connections) on a real listening tierbook server (store,
// token check, §3.1 subscription matching), against a bare Fastify route
// answering the same JSON size, in the same run. Each server runs in its own
// child process so the load generator (this process) does not share its
// event loop.
//   node --import tsx bench/api-evaluate.ts   (BENCH_SECONDS=3 for a short run)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
// autocannon ships no types; the few fields used are typed below.
// @ts-expect-error no declaration file
import autocannon from 'autocannon';
import { buildApp } from '../src/api/app.js';
import { evaluate } from '../src/rules/evaluate.js';
import { openSqlite } from '../src/store/sqlite.js';
import { customerData, customerId, loadContosoPlan, prng } from './data.js';
import type { BenchResult } from './types.js';
import { fmt, isMain, line, result } from './util.js';

const SELF = fileURLToPath(import.meta.url);
const PATH = '/v1/partners/contoso/evaluate';
const CUSTOMERS = 200;

/** Request bodies as a support desk posts them: a known customer, no offering (matched from subscriptions). */
export function evaluateBodies(n: number, seed = 9): Record<string, unknown>[] {
  const plan = loadContosoPlan();
  const rnd = prng(seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const d = customerData(Math.floor(rnd() * CUSTOMERS), { plan, records: 2, seed: 31 });
    const r = d.requests[0]!.record;
    out.push({ customer: r.customer, service: r.service, category: r.category, severity: r.severity, channel: r.channel, receivedAt: r.receivedAt });
  }
  return out;
}

async function serveTierbook(): Promise<{ port: number; token: string }> {
  const plan = loadContosoPlan();
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bench-api-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const repo = await openSqlite(join(dir, 'api.db'));
  const data = Array.from({ length: CUSTOMERS }, (_, i) => customerData(i, { plan, records: 0, seed: 31 }));
  await repo.insertMany('contoso', 'customers', data.map((d) => d.customer));
  await repo.insertMany('contoso', 'subscriptions', data.flatMap((d) => d.subscriptions));
  const token = await repo.createToken('contoso', 'viewer');
  const app = await buildApp({ repo, plans: new Map([[plan.partner.id, plan]]) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, token };
}

async function serveBare(): Promise<{ port: number; token: string }> {
  const plan = loadContosoPlan();
  // A decision as the real route answers it, so both send the same bytes.
  const decision = evaluate(plan, { partner: 'contoso', offering: 'standard', customer: customerId(1), service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T19:30:00-04:00' });
  const app = Fastify({ logger: false });
  app.post(PATH, async () => decision);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, token: 'none' };
}

async function startChild(kind: 'tierbook' | 'bare'): Promise<{ child: ChildProcess; port: number; token: string }> {
  // BENCH_PROFILE=DIR: the servers write V8 CPU profiles there (node --cpu-prof).
  const prof = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', SELF, '--serve', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { child, ...(JSON.parse(first) as { port: number; token: string }) };
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; average: number };
  throughput: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

function cannon(port: number, token: string, bodies: Record<string, unknown>[], seconds: number): Promise<CannonResult> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    duration: seconds,
    requests: bodies.map((b) => ({ method: 'POST', path: PATH, headers, body: JSON.stringify(b) })),
  }) as Promise<CannonResult>;
}

/** CPU seconds a child has used (Linux /proc; NaN elsewhere). */
function childCpuSeconds(pid: number | undefined): number {
  try {
    // fields 14 and 15 (utime, stime) in clock ticks, counted after the ")" that ends the command name
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

type Measured = CannonResult & { cpuUsPerRequest: number };

async function measure(kind: 'tierbook' | 'bare', bodies: Record<string, unknown>[], seconds: number): Promise<Measured> {
  const s = await startChild(kind);
  try {
    await cannon(s.port, s.token, bodies, 2); // warm up: JIT, zone tables, calendar chunks
    // The server's own CPU per answered request: on a shared machine steadier than requests/s.
    const cpu0 = childCpuSeconds(s.child.pid);
    const r = await cannon(s.port, s.token, bodies, seconds);
    const cpu = childCpuSeconds(s.child.pid) - cpu0;
    return { ...r, cpuUsPerRequest: (cpu * 1e6) / Math.max(1, r.requests.total) };
  } finally {
    s.child.kill();
  }
}

export async function runApiEvaluateBench(opts: { seconds?: number } = {}): Promise<BenchResult[]> {
  const seconds = opts.seconds ?? 10;
  const bodies = evaluateBodies(50);
  const real = await measure('tierbook', bodies, seconds);
  const bare = await measure('bare', bodies, seconds);
  const errs = (r: CannonResult): number => r.errors + r.timeouts + r.non2xx;
  console.log(
    `api-evaluate: ${fmt(real.requests.average)} req/s, p99 ${real.latency.p99} ms, errors ${errs(real)} (bytes/s ${fmt(real.throughput.average)}, server CPU ${fmt(real.cpuUsPerRequest)} µs/request); ` +
      `bare Fastify: ${fmt(bare.requests.average)} req/s, p99 ${bare.latency.p99} ms, errors ${errs(bare)} (bytes/s ${fmt(bare.throughput.average)}, server CPU ${fmt(bare.cpuUsPerRequest)} µs/request)`,
  );
  return [
    result('api-evaluate', real.requests.average, 'requests/s', 'bare Fastify route, same JSON size', bare.requests.average),
    result('api-evaluate p99', real.latency.p99, 'ms', 'bare Fastify route p99', bare.latency.p99),
    result('api-evaluate errors', errs(real), 'errors (incl. non-2xx, timeouts)', 'bare Fastify route errors', errs(bare)),
    result('api-evaluate server CPU', real.cpuUsPerRequest, 'µs/request', 'bare Fastify route server CPU', bare.cpuUsPerRequest),
  ];
}

/** The two servers, for profiling harnesses that start them their own way. */
export const __serve = (kind: string): Promise<{ port: number; token: string }> => (kind === 'bare' ? serveBare() : serveTierbook());

if (isMain(import.meta.url)) {
  if (process.argv[2] === '--serve') {
    const kind = process.argv[3] === 'bare' ? serveBare : serveTierbook;
    process.once('SIGTERM', () => process.exit(0)); // exit normally, so that --cpu-prof writes its profile
    console.log(JSON.stringify(await kind()));
  } else {
    // BENCH_SECONDS shortens the measured run while iterating (default 10 s).
    const seconds = Number(process.env.BENCH_SECONDS) || undefined;
    for (const r of await runApiEvaluateBench(seconds ? { seconds } : {})) console.log(line(r));
  }
}
