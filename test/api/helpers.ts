// A real listening server on a temp database, with tokens for two partners.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/api/app.js';
import { openSqlite, type SqliteRepository } from '../../src/store/sqlite.js';
import type { Plan } from '../../src/plans/types.js';
import { contoso, huayun } from '../render/fixtures.js';

export interface Server {
  readonly app: FastifyInstance;
  readonly repo: SqliteRepository;
  readonly base: string; // http://127.0.0.1:port/v1/partners/contoso
  readonly origin: string;
  readonly admin: string;
  readonly viewer: string;
  readonly other: string; // admin of huayun
  readonly plan: Plan;
  call(method: string, path: string, opts?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  type: string;
  text: string;
  json: any;
  headers: Headers;
}

/**
 * `opts` go to buildApp. Failed-authentication limiting is off unless given:
 * the auth matrix fails dozens of times from 127.0.0.1 (the limiter has its own test).
 */
export async function startServer(plans: Plan[] = [contoso(), huayun()], opts: Partial<Omit<BuildOptions, 'repo'>> = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-api-'));
  const repo = await openSqlite(join(dir, 'test.db'));
  const app = await buildApp({ authLimit: false, ...opts, repo, plans: opts.plans ?? new Map(plans.map((p) => [p.partner.id, p])) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const admin = await repo.createToken('contoso', 'admin');
  const viewer = await repo.createToken('contoso', 'viewer');
  const other = await repo.createToken('huayun', 'admin');
  const base = `${origin}/v1/partners/contoso`;
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token === undefined ? admin : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const url = path.startsWith('http') ? path : path.startsWith('/v1/') || path.startsWith('/health') || path.startsWith('/openapi') || path.startsWith('/docs') ? origin + path : base + path;
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json, headers: res.headers };
  };
  return {
    app,
    repo,
    base,
    origin,
    admin,
    viewer,
    other,
    plan: plans[0]!,
    call,
    close: async () => {
      await app.close();
      await repo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A customer with a Standard subscription for October 2026 and an Essential one. */
export async function seed(s: Server): Promise<void> {
  const ok = (a: Answer, what: string): void => {
    if (a.status >= 300) throw new Error(`${what}: ${a.status} ${a.text}`);
  };
  ok(await s.call('POST', '/customers', { body: { id: 'northwind', name: 'Northwind Traders', taxRate: '8%' } }), 'customer');
  ok(await s.call('POST', '/subscriptions', { body: { id: 'nw-standard', customer: 'northwind', offering: 'standard', start: '2026-10-10', quantities: [{ metric: 'seats', value: 20, from: '2026-10-10' }] } }), 'subscription');
}
