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

interface Failing {
  count: number;
  windowStart: number;
}

/**
 * Who is counted: an IPv4 address itself, an IPv6 address by its /64 (one
 * host usually holds a whole /64, so counting single IPv6 addresses would let
 * it try 2^64 times). IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address.
 */
export function clientKey(ip: string): string {
  const addr = ip.replace(/%.*$/, '').toLowerCase(); // zone index
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(addr);
  if (mapped) return mapped[1]!;
  if (!addr.includes(':')) return addr;
  const [head, tail = ''] = addr.split('::');
  const left = head ? head.split(':') : [];
  const right = addr.includes('::') && tail ? tail.split(':') : [];
  // an embedded IPv4 tail (::1.2.3.4) only touches the last 32 bits, never the /64
  const groups = addr.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return groups.slice(0, 4).map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? g.replace(/^0+(?=.)/, '') : g)).join(':') + '::/64';
}

/**
 * Blocked clients and merely failing ones are kept apart, each bounded by
 * maxClients: a flood of addresses failing once evicts only other failing
 * entries, never a block (which ends only when its window does, or when
 * maxClients newer blocks push it out).
 */
export class AuthFailureLimiter {
  private readonly failing = new Map<string, Failing>();
  /** blockedUntil by client key, in the order the blocks began (and so end). */
  private readonly blocked = new Map<string, number>();
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
    if (this.blocked.size === 0) return 0;
    const key = clientKey(ip);
    const until = this.blocked.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.blocked.delete(key); // the block is over: start afresh
    return 0;
  }

  /** Counts a failed authentication of the address. */
  fail(ip: string): void {
    if (!this.enabled) return;
    const t = this.now();
    const key = clientKey(ip);
    let c = this.failing.get(key);
    if (c === undefined || t - c.windowStart >= this.windowMs) {
      if (c === undefined && this.failing.size >= this.maxClients) this.failing.delete(this.failing.keys().next().value as string);
      c = { count: 0, windowStart: t };
      this.failing.set(key, c);
    }
    c.count++;
    if (c.count >= this.max) {
      this.failing.delete(key);
      this.blocked.delete(key); // re-inserted last: the newest block
      if (this.blocked.size >= this.maxClients) this.blocked.delete(this.blocked.keys().next().value as string);
      this.blocked.set(key, t + this.windowMs);
    }
  }
}
