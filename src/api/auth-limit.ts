// Brute-force protection of the bearer tokens (issue 8): a client address
// that fails authentication `max` times within `windowMs` is answered 429 for
// a window from its last counted failure, before its token is looked up, so
// guessing costs the store nothing. Only failures count: a busy client with a
// good token is never limited. In memory, per process, bounded.
// (@fastify/rate-limit counts every request, so it cannot express this.)

export interface AuthLimitOptions {
  /** Failed authentications allowed per client address within the window; 0 turns limiting off. */
  readonly max: number;
  readonly windowMs: number;
  /** Addresses tracked at once; the oldest entry goes first when full. */
  readonly maxClients?: number;
  /** The clock (tests inject one). */
  readonly now?: () => number;
}

export const DEFAULT_AUTH_LIMIT: AuthLimitOptions = { max: 10, windowMs: 60_000 };

interface Client {
  count: number;
  windowStart: number;
  blockedUntil: number; // 0: not blocked
}

export class AuthFailureLimiter {
  private readonly clients = new Map<string, Client>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(opts: AuthLimitOptions) {
    this.max = opts.max;
    this.windowMs = opts.windowMs;
    this.maxClients = opts.maxClients ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.max > 0 && this.windowMs > 0;
  }

  /** Milliseconds the address must still wait, or 0 when it may try. */
  blockedFor(ip: string): number {
    const c = this.clients.get(ip);
    if (c === undefined || c.blockedUntil === 0) return 0;
    const left = c.blockedUntil - this.now();
    if (left > 0) return left;
    this.clients.delete(ip); // the block is over: start afresh
    return 0;
  }

  /** Counts a failed authentication of the address. */
  fail(ip: string): void {
    if (!this.enabled) return;
    const t = this.now();
    let c = this.clients.get(ip);
    if (c === undefined || t - c.windowStart >= this.windowMs) {
      if (c === undefined && this.clients.size >= this.maxClients) this.clients.delete(this.clients.keys().next().value as string);
      c = { count: 0, windowStart: t, blockedUntil: 0 };
      this.clients.set(ip, c);
    }
    c.count++;
    if (c.count >= this.max) c.blockedUntil = t + this.windowMs;
  }
}
