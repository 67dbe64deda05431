// The prepaid block ledger (SPEC §10): pure. One pass over a subscription's
// periods from its start through the priced one: each period's grants (a
// monthly block on the first active day, purchases on their date) and draws
// (the drawing components' chargeable usage after their allowance, in time
// order), each draw taking from the oldest grant dated on or before it; at
// the period's end, what was granted fewer than `rollover.periods` periods
// ago is carried (at most `rollover.max`, the oldest dropped first) and the
// rest expires. Each period's usage is metered once by its own model
// (ModelDef.meter); nothing of an earlier statement is re-priced.
import type { Offering } from '../plans/types.js';
import { pricingModel, type ModelContext, type PricedRequest, type PricedWorklog, type PricingComponent } from '../models/index.js';
import type { Metered, PricedPurchase } from '../models/types.js';
import { blockGrants, ledgerUnit, type BlockComponent, type Grant } from '../models/block.js';
import { fromPercent, cmp, int, mul, type Rat } from '../rational.js';
import { inRange, intersect, period as makePeriod, type DateRange, type Period } from '../time/period.js';

/** A draw of one period: a usage of a drawing component, in the ledger's unit. */
export type LedgerDraw = Metered;

/** One period as the ledger reads it. */
export interface LedgerPeriodInput {
  /** In date order. */
  readonly grants: readonly Grant[];
  /** In time order. */
  readonly draws: readonly LedgerDraw[];
  /** The rule applied at the period's end; null: everything unused expires. */
  readonly rollover: { readonly periods: number; readonly max: number | null } | null;
}

/** One period's balance (whole minutes or incidents) and what each usage drew. */
export interface LedgerPeriod {
  readonly opening: number;
  readonly granted: number;
  readonly used: number;
  readonly expired: number;
  readonly closing: number;
  /** Units drawn per usage id (only usages that drew). */
  readonly drawn: ReadonlyMap<string, number>;
}

/** A grant with something left at a period's end: the period it was made in, what is left. */
export interface OpenGrant {
  readonly made: string; // YYYY-MM
  readonly left: number;
}

/** Months since year 0 of "YYYY-MM": period ages are differences of these. */
export const monthIndex = (id: string): number => Number(id.slice(0, 4)) * 12 + Number(id.slice(5, 7)) - 1;
const periodOfIndex = (i: number): string => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The running balance: open grants oldest first, each with the index of the period it was made in. */
export class Ledger {
  private open: { made: number; left: number }[];
  private index = 0;

  /** A new ledger, or one resumed from the open grants it had at a period's end (see LedgerState). */
  constructor(open: readonly OpenGrant[] = []) {
    this.open = open.filter((x) => x.left > 0).map((x) => ({ made: monthIndex(x.made), left: x.left }));
  }

  /** The open grants now (after the last step), oldest first. */
  state(): OpenGrant[] {
    return this.open.map((x) => ({ made: periodOfIndex(x.made), left: x.left }));
  }

  /**
   * One period; `record`: keep what each usage drew (the priced period only:
   * history needs balances alone); `at`: the period's monthIndex (default: the
   * one after the previous step, from 0).
   */
  step(p: LedgerPeriodInput, record = true, at?: number): LedgerPeriod {
    const made = at ?? this.index;
    this.index = made + 1;
    const opening = this.total();
    const drawn = new Map<string, number>();
    let granted = 0;
    let used = 0;
    let g = 0;
    // open grants before `head` are used up (one pass over them, no copy per draw)
    let head = 0;
    for (const d of p.draws) {
      // a grant counts from its day on: a draw never takes from a later purchase
      for (; g < p.grants.length && p.grants[g].date <= d.date; g++) granted += this.grant(made, p.grants[g].units);
      let need = d.units;
      while (need > 0 && head < this.open.length) {
        const x = this.open[head];
        const take = Math.min(x.left, need);
        x.left -= take;
        need -= take;
        if (x.left === 0) head++;
      }
      const took = d.units - need;
      if (took > 0 && record) drawn.set(d.id, (drawn.get(d.id) ?? 0) + took);
      used += took;
    }
    if (head > 0) this.open = this.open.slice(head);
    for (; g < p.grants.length; g++) granted += this.grant(made, p.grants[g].units);
    // period end: age rule, then the cap on what is carried (oldest dropped first)
    const periods = p.rollover?.periods ?? 0;
    let expired = 0;
    for (const x of this.open) {
      if (made - x.made >= periods) {
        expired += x.left;
        x.left = 0;
      }
    }
    const max = p.rollover?.max ?? null;
    let over = max === null ? 0 : Math.max(0, this.total() - max);
    for (const x of this.open) {
      if (over === 0) break;
      const drop = Math.min(x.left, over);
      x.left -= drop;
      over -= drop;
      expired += drop;
    }
    this.open = this.open.filter((x) => x.left > 0);
    return { opening, granted, used, expired, closing: this.total(), drawn };
  }

  private grant(made: number, units: number): number {
    if (units > 0) this.open.push({ made, left: units });
    return units;
  }

  private total(): number {
    let t = 0;
    for (const x of this.open) t += x.left;
    return t;
  }
}

/** What the statement knows of one subscription for its blocks. */
export interface BlockHistory {
  readonly offering: Offering;
  readonly start: string;
  readonly end: string | null;
  readonly zone: string;
  /** The priced period. */
  readonly period: Period;
  /** The subscription's usage of a period (requests and worklogs in time order); the priced period's included. */
  usage(periodId: string): { readonly requests: readonly PricedRequest[]; readonly worklogs: readonly PricedWorklog[] };
  /** The subscription's purchases of any date, with the block they buy. */
  readonly purchases: readonly (PricedPurchase & { readonly component: string })[];
  quantity(metric: string, date: string): number;
  price(x: Rat): string;
  /** Per block: its open grants at the end of an earlier period; the ledger resumes after it (no record up to it is read). */
  readonly resume?: ReadonlyMap<string, { readonly period: string; readonly open: readonly OpenGrant[] }>;
}

/** One block of the subscription in the priced period: its version then, its balance, the draws per drawing component. */
export interface BlockRun {
  readonly block: BlockComponent;
  readonly unit: 'minutes' | 'incidents';
  readonly balance: LedgerPeriod;
  /** Drawing component id -> usage id -> units drawn in the priced period. */
  readonly drawn: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** used ≥ alertAt × (opening + granted), with something available. */
  readonly low: boolean;
  /** The open grants at the priced period's end: a later statement may resume from them. */
  readonly open: readonly OpenGrant[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** "2026-10" -> "2026-11". */
export function nextPeriodId(id: string): string {
  const y = Number(id.slice(0, 4));
  const m = Number(id.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${id.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

/** The offering's components of one id, in date order. */
function versionsOf(o: Offering, id: string): PricingComponent[] {
  return o.pricing.filter((c) => c.id === id).sort((a, b) => byText(a.from ?? '', b.from ?? ''));
}

/** Whether an offering has a block: only then does a statement read history. */
export const hasBlocks = (o: Offering): boolean => o.pricing.some((c) => c.model === 'block');

/**
 * Runs every block of the subscription from its start through the priced
 * period: one ledger step per period and block, metering each period's usage
 * once. Blocks with no version in force in the priced period are left out.
 */
export function runBlocks(h: BlockHistory): Map<string, BlockRun> {
  const o = h.offering;
  const blockIds = [...new Set(o.pricing.filter((c) => c.model === 'block').map((c) => c.id))];
  const ledgers = new Map(blockIds.map((id) => [id, new Ledger(h.resume?.get(id)?.open ?? [])]));
  const last = new Map<string, BlockComponent>();
  const out = new Map<string, BlockRun>();
  const versionsById = new Map<string, PricingComponent[]>();
  for (const c of o.pricing) if (!versionsById.has(c.id)) versionsById.set(c.id, versionsOf(o, c.id));
  // a resumed block starts after its state's period; the loop from the earliest start of any block
  const startOf = (bid: string): string => {
    const r = h.resume?.get(bid);
    return r && r.period >= h.start.slice(0, 7) ? nextPeriodId(r.period) : h.start.slice(0, 7);
  };
  const starts = new Map(blockIds.map((bid) => [bid, startOf(bid)]));
  const firstId = [...starts.values()].reduce((a, b) => (b < a ? b : a), h.period.id);
  if (h.start.slice(0, 7) > h.period.id) return out;
  for (let id = firstId; id <= h.period.id; id = nextPeriodId(id)) {
    const P = id === h.period.id ? h.period : makePeriod(id, h.zone);
    const subActive = intersect({ from: P.first, to: P.last }, { from: h.start, to: h.end });
    if (!subActive) continue;
    const usage = h.usage(id);
    for (const bid of blockIds) {
      if (id < (starts.get(bid) as string)) continue;
      const versions = versionsById.get(bid) as BlockComponent[];
      // loops rather than filter/find with closures: this runs for every period of every subscription's history
      const inForce: BlockComponent[] = [];
      const ranges: DateRange[] = [];
      let rule: BlockComponent | undefined;
      for (const v of versions) {
        const range = intersect(subActive, v);
        if (range === null) continue;
        inForce.push(v);
        ranges.push(range);
        if (inRange(subActive.to, v)) rule = v;
      }
      rule ??= inForce[inForce.length - 1] ?? last.get(bid);
      if (!rule) continue;
      last.set(bid, rule);
      const grants: Grant[] = [];
      for (let k = 0; k < inForce.length; k++) {
        const v = inForce[k];
        const range = ranges[k];
        const bought = h.purchases.length === 0 ? [] : h.purchases.filter((p) => p.component === bid && inRange(p.date, range));
        const g = blockGrants(v, range, subActive.from, bought);
        if (g.monthly) grants.push(g.monthly);
        grants.push(...g.purchased);
      }
      if (grants.length > 1) grants.sort((a, b) => byText(a.date, b.date));
      const metered: Metered[][] = [];
      for (const d of rule.draws) metered.push(meterComponent(h, versionsById.get(d) ?? [], P, subActive, usage, d));
      // each component's draws are in time order already; several are merged (ties: component order in draws, then id)
      const draws = metered.length === 1 ? metered[0] : metered.flat().sort((a, b) => a.ms - b.ms || byText(a.id, b.id));
      const priced = id === h.period.id;
      const ledger = ledgers.get(bid) as Ledger;
      const balance = ledger.step({ grants, draws, rollover: rule.rollover }, priced, monthIndex(id));
      if (!priced || inForce.length === 0) continue;
      const drawn = new Map<string, Map<string, number>>();
      rule.draws.forEach((d, i) => {
        const m = new Map<string, number>();
        for (const x of metered[i]) {
          const units = balance.drawn.get(x.id);
          if (units !== undefined) m.set(x.id, units);
        }
        drawn.set(d, m);
      });
      const available = balance.opening + balance.granted;
      const low = rule.alertAt !== null && available > 0 && cmp(int(balance.used), mul(int(available), fromPercent(rule.alertAt))) >= 0;
      out.set(bid, { block: rule, unit: ledgerUnit(rule), balance, drawn, low, open: ledger.state() });
    }
  }
  return out;
}

/** A drawing component's chargeable usage of one period, after its allowance (shared by its versions, §8.5). */
function meterComponent(
  h: BlockHistory,
  versions: readonly PricingComponent[],
  P: Period,
  subActive: DateRange,
  usage: ReturnType<BlockHistory['usage']>,
  component: string,
): Metered[] {
  let out: Metered[] = [];
  const allowance = { left: null as number | null };
  for (const v of versions) {
    const range = intersect(subActive, v);
    if (!range) continue;
    const model = pricingModel(v.model);
    if (!model.meter) continue;
    // usage is the subscription's within subActive: a version in force all of it needs no date filter (the common case, every period)
    const whole = range.from === subActive.from && range.to === subActive.to;
    const ctx: ModelContext<PricingComponent> = {
      offering: h.offering,
      component: v,
      period: P,
      active: range,
      quantity: h.quantity,
      requests: whole ? usage.requests : usage.requests.filter((r) => inRange(r.date, range)),
      worklogs: whole && usage.worklogs.every((w) => w.component === component) ? usage.worklogs : usage.worklogs.filter((w) => w.component === component && inRange(w.date, range)),
      spend: null,
      retail: null,
      price: h.price,
      allowance,
    };
    const m = model.meter(ctx);
    out = out.length === 0 ? m : out.concat(m);
  }
  return out;
}
