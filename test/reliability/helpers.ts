// Harness of the reliability tests: the built CLI (bin/tierbook.js) as child
// processes on a temp file database, plain HTTP calls against them, and the
// seeded usage of bench/data.ts as batches and as the quote of the same data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { BENCH_PERIOD, CONTOSO_FILE, customerData, loadContosoPlan, prng, usageBodies, type CustomerData } from '../../bench/data.js';
import type { Answer } from '../api/helpers.js';

export type { Answer };

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tierbook.js');
const DIST_MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** The part of a tap test the harness uses. */
export interface Tap {
  teardown(fn: () => unknown): void;
  comment(...args: unknown[]): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A seed from the environment, printed so that a failure can be rerun. */
export function seedFrom(t: Tap, name: string, fallback: number): number {
  const raw = process.env[name];
  const seed = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`${name} must be an integer, got "${raw}"`);
  t.comment(`seed ${seed} (rerun with ${name}=${seed})`);
  return seed;
}

function newestMtime(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestMtime(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
}

/**
 * The tests drive the built CLI, as deployed. dist/ is built when missing;
 * other sessions rebuild it now and then (the build deletes it first), so a
 * short wait comes before building it ourselves. A stale dist/ is only noted.
 */
export async function ensureBuilt(t: Tap): Promise<void> {
  for (let i = 0; i < 20 && !existsSync(DIST_MAIN); i++) await sleep(250);
  if (!existsSync(DIST_MAIN)) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  }
  if (newestMtime(join(ROOT, 'src')) > statSync(DIST_MAIN).mtimeMs) t.comment('note: dist/ is older than src/ (npm run build to test the current sources)');
}

export interface Workspace {
  readonly dir: string;
  readonly db: string;
  readonly plans: string;
}

/**
 * A temp directory with the database path and a plans directory holding the
 * contoso example alone: every start validates every plan, and start-ups
 * dominate these tests.
 */
export function workspace(t: Tap, prefix: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `tierbook-${prefix}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const plans = join(dir, 'plans');
  mkdirSync(plans);
  copyFileSync(CONTOSO_FILE, join(plans, 'contoso.yaml'));
  return { dir, db: join(dir, 'tierbook.db'), plans };
}

export interface Served {
  readonly origin: string;
  readonly child: ChildProcess;
  /** Everything the server wrote (JSON log lines on stdout, messages on stderr). */
  output(): string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

const alive = new Set<ChildProcess>();
let exitHook = false;

/**
 * A child left running when its test ends (failed or not) is killed. Each
 * child with the test that started it: a teardown registered once, on the
 * first test, would miss the children of a later subtest and keep the
 * process alive to its timeout.
 */
function track(t: Tap, child: ChildProcess): void {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  t.teardown(() => {
    if (alive.has(child)) child.kill('SIGKILL');
  });
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of alive) c.kill('SIGKILL');
    });
  }
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

export interface ServeOptions {
  /** The store (a file or a postgres:// URL); default the workspace's file. */
  readonly db?: string;
  /** Run the CLI from src/ through tsx (test/helpers/run-cli.ts) instead of the built dist/. */
  readonly source?: boolean;
}

function startOnce(t: Tap, ws: Workspace, opts: ServeOptions): Promise<Served> {
  const entry = opts.source ? ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'run-cli.ts')] : [BIN];
  const child = spawn(process.execPath, [...entry, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', opts.db ?? ws.db, '--plans', ws.plans], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(t, child);
  let out = '';
  const keep = (b: Buffer): void => {
    out = (out + b.toString('utf8')).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (b: Buffer) => {
      keep(b);
      const m = /tierbook API on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ origin: m[1]!, child, output: () => out, kill: async () => (child.kill('SIGKILL'), exited(child)) });
    });
    child.once('exit', (code, signal) => reject(new Error(`tierbook serve exited (${signal ?? code}) before listening:\n${out}`)));
  });
}

/**
 * `tierbook serve --port 0` (a free port) on the workspace; resolves when it
 * listens. A start that fails is retried twice: another session's rebuild of
 * dist/ can remove files under a starting process.
 */
export async function serve(t: Tap, ws: Workspace, opts: ServeOptions = {}): Promise<Served> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(t, ws, opts);
    } catch (err) {
      if (attempt === 3) throw err;
      t.comment(`serve did not start (attempt ${attempt}), retrying: ${(err as Error).message.split('\n').slice(0, 3).join(' | ')}`);
      await sleep(2000);
    }
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI as a child process; `started` resolves once it runs (so callers can overlap it). */
export function cli(t: Tap, args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  track(t, child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** One HTTP call with a bearer token; JSON in and out. Rejects when the connection fails (e.g. the server was killed). */
export async function api(origin: string, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const h: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
  if (body !== undefined) h['content-type'] ??= 'application/json';
  const res = await fetch(`${origin}/v1/partners/contoso${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: jsonOrUndefined(text), headers: res.headers };
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Log lines of level error or worse (pino: 50 error, 60 fatal), e.g. a 500. */
export function errorLogs(output: string): string[] {
  return output.split('\n').filter((l) => /"level":(5|6)\d/.test(l));
}

// ---- data

export const PERIOD = BENCH_PERIOD;

/**
 * `n` seeded customers of bench/data.ts with `records` usage records each,
 * skipping those with a subscription starting inside the period: a request
 * before that start is rejected by the store (no active subscription) but a
 * quote, which holds no dates of holding, prices it, so the two would differ
 * by design rather than by a fault.
 */
export function customers(n: number, records: number, seed: number, first = 0): CustomerData[] {
  const plan = loadContosoPlan();
  const out: CustomerData[] = [];
  for (let i = first; out.length < n; i++) {
    const d = customerData(i, { plan, records, seed });
    if (d.subscriptions.every((s) => s.record.start <= `${PERIOD}-01`)) out.push(d);
  }
  return out;
}

export interface Scenario {
  readonly seed: number;
  readonly rnd: () => number;
  readonly ws: Workspace;
  readonly data: CustomerData[];
}

/** The start of each test: its seed (printed) and PRNG, the built CLI, a workspace, `n` seeded customers. */
export async function scenario(t: Tap, name: string, seedVar: string, fallback: number, n: number, records: number): Promise<Scenario> {
  const seed = seedFrom(t, seedVar, fallback);
  await ensureBuilt(t);
  return { seed, rnd: prng(seed), ws: workspace(t, name), data: customers(n, records, seed) };
}

/** Customers and subscriptions written straight to the store, and an admin token. */
export async function setUp(db: string, data: readonly CustomerData[]): Promise<string> {
  const { openSqlite } = await import('../../src/store/sqlite.js');
  const repo = await openSqlite(db);
  try {
    await repo.insertMany('contoso', 'customers', data.map((d) => d.customer));
    await repo.insertMany('contoso', 'subscriptions', data.flatMap((d) => d.subscriptions));
    return await repo.createToken('contoso', 'admin');
  } finally {
    await repo.close();
  }
}

export type UsageKind = 'requests' | 'worklogs' | 'spend';
export const USAGE_KINDS: readonly UsageKind[] = ['requests', 'worklogs', 'spend'];

export interface Batch {
  readonly kind: UsageKind;
  readonly key: string;
  readonly bodies: Record<string, unknown>[];
}

/**
 * The customers' usage as batches of 1 to `max` records (sizes from `rnd`),
 * requests first (worklogs name them), each with its own idempotency key.
 */
export function batches(data: readonly CustomerData[], max: number, rnd: () => number, keyPrefix: string): Batch[] {
  const out: Batch[] = [];
  for (const kind of USAGE_KINDS) {
    const all = data.flatMap((d) => usageBodies(d)[kind]);
    for (let i = 0; i < all.length; ) {
      const n = 1 + Math.floor(rnd() * max);
      out.push({ kind, key: `${keyPrefix}-${kind}-${out.length}`, bodies: all.slice(i, i + n) });
      i += n;
    }
  }
  return out;
}

/** The quote document (SPEC §4.7) of a customer's generated data. */
export function quoteOf(d: CustomerData): Record<string, unknown> {
  const u = usageBodies(d);
  return {
    partner: 'contoso',
    period: PERIOD,
    // the locale too: a statement's line descriptions are in the customer's language
    customer: { id: d.customer.record.id, taxRate: d.customer.record.taxRate, ...(d.customer.record.locale ? { locale: d.customer.record.locale } : {}) },
    subscriptions: d.subscriptions.map(({ record: s }) => ({ id: s.id, offering: s.offering, start: s.start, end: s.end, discount: s.discount, quantities: s.quantities })),
    // a quote names each request's offering; the stored one is the offering that took it
    requests: d.requests.map(({ record: r }, i) => {
      const { respondedAt, ...rest } = u.requests[i]!;
      return { ...rest, offering: r.decision.offering ?? r.offering, ...(respondedAt !== null ? { respondedAt } : {}) };
    }),
    worklogs: d.worklogs.map(({ record: w }) => (w.request !== null ? { id: w.id, request: w.request, start: w.start, minutes: w.minutes } : { id: w.id, offering: w.offering, start: w.start, minutes: w.minutes })),
    spend: u.spend.map(({ id, service, amount, period }) => ({ id, service, amount, period })),
  };
}

/** What must agree between a statement and the quote of its data. */
export const priced = (s: { subtotal: string; tax: string; total: string; lines: unknown[] }): unknown => ({ subtotal: s.subtotal, tax: s.tax, total: s.total, lines: s.lines });

/** Ids per usage kind stored for contoso, read from the database file (sorted). */
export function storedIds(db: string): Record<UsageKind, string[]> {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const ids = (table: string): string[] => (conn.prepare(`select id from ${table} where partner = 'contoso' order by id`).all() as { id: string }[]).map((r) => r.id);
    return { requests: ids('requests'), worklogs: ids('worklogs'), spend: ids('spend') };
  } finally {
    conn.close();
  }
}

/** The distinct ids the batches hold, per kind (sorted). */
export function sentIds(bs: readonly Batch[]): Record<UsageKind, string[]> {
  const of = (kind: UsageKind): string[] => [...new Set(bs.filter((b) => b.kind === kind).flatMap((b) => b.bodies.map((x) => x.id as string)))].sort();
  return { requests: of('requests'), worklogs: of('worklogs'), spend: of('spend') };
}
