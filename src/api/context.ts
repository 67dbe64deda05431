// What every partner route gets: the store, the plans, and per request the
// authenticated token and the partner's plan (set by the auth hook).
import type { FastifyRequest } from 'fastify';
import type { Plan } from '../plans/types.js';
import type { Repository, TokenInfo } from '../store/repository.js';
import type { PlanSet } from './plans.js';

export interface ApiContext {
  readonly repo: Repository;
  readonly plans: PlanSet;
  /** Epoch milliseconds now: the instant SLA clocks are judged at (injected: tests fix it). Absent: the machine's clock. */
  readonly now?: () => number;
}

/** Route config: `write: true` marks routes a viewer may not call. */
export interface RouteConfig {
  readonly write?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: TokenInfo;
    plan?: Plan;
    /** The request's Idempotency-Key; `stored` once its answer was written with the records. */
    idem?: { key: string; route: string; bodyHash: string; stored?: boolean };
  }
  interface FastifyContextConfig {
    write?: boolean;
  }
}

export interface PartnerScope {
  readonly partner: string;
  readonly plan: Plan;
}

/** The partner and plan of an authenticated request (the auth hook guarantees both). */
export function scope(req: FastifyRequest): PartnerScope {
  const plan = req.plan;
  if (!plan) throw new Error('route used outside the partner scope');
  return { partner: plan.partner.id, plan };
}
