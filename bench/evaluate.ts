// Benchmark of request evaluation (issue 3): decisions per second on the
// contoso example plan with a realistic request mix, full decision including
// the response deadline, on one core; anchored, in the same run, by the same
// checks and rules written for json-rules-engine. Also with 10 and 1,000
// extra (customer-specific) rules.
//   node --import tsx bench/evaluate.ts
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { Matcher, Plan, Rule, RuleField, RuleWhen } from '../src/plans/types.js';
import { loadPlan } from '../src/plans/load.js';
import { evaluate } from '../src/rules/evaluate.js';
import { parseInstant, zoneOffsets } from '../src/time/instant.js';
import type { Decision, SupportRequest } from '../src/rules/types.js';
import type { BenchResult } from './types.js';
import { prng } from './data.js';

const PLAN_FILE = fileURLToPath(new URL('../plans/contoso.yaml', import.meta.url));

export function loadContoso(): Plan {
  const res = loadPlan(readFileSync(PLAN_FILE, 'utf8'), PLAN_FILE);
  if (res.plan === null) throw new Error(`plans/contoso.yaml does not load: ${res.findings.map((f: { message: string }) => f.message).join('; ')}`);
  return res.plan;
}

/**
 * A support desk's day-to-day mix: mostly requests that fit the customer's
 * offering, some on the wrong service, channel or severity, arriving at any
 * minute of a quarter (so nights, weekends and holidays are in it).
 */
export function requestMix(plan: Plan, n: number, seed = 42): SupportRequest[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const offerings = [...plan.offerings.values()];
  const allServices = [...plan.services.keys()];
  const allChannels = [...plan.channels.keys()];
  const tz = zoneOffsets(plan.partner.timezone);
  const start = parseInstant('2026-11-01T00:00:00Z');
  const out: SupportRequest[] = [];
  for (let i = 0; i < n; i++) {
    const o = pick(offerings);
    const fits = rnd() < 0.8;
    const at = start + Math.floor(rnd() * 92 * 24 * 60) * 60_000;
    out.push({
      partner: plan.partner.id,
      offering: o.id,
      customer: `cust-${Math.floor(rnd() * 2000)}`,
      service: fits ? pick(o.services) : pick(allServices),
      category: fits ? pick(o.categories) : pick(['billing', 'subscription', 'technical']),
      severity: fits ? pick([...o.severities.keys()]) : pick(['A', 'B', 'C']),
      channel: fits ? pick(o.channels) : pick(allChannels),
      receivedAt: tz.format(at),
      serviceIncident: rnd() < 0.1,
    });
  }
  return out;
}

const m = (values: Array<string | boolean>, negate = false): Matcher => ({ negate, values });

/** `count` customer-specific rules of the kinds plans grow by, appended after the plan's own. */
export function withExtraRules(plan: Plan, count: number): Plan {
  const extra: Rule[] = [];
  for (let i = 0; i < count; i++) {
    const customer = m([`cust-${i * 2}`]);
    let when: RuleWhen;
    let then: Rule['then'];
    switch (i % 4) {
      case 0:
        when = { fields: { customer, severity: m(['C'], true) } };
        then = { route: 'fabrikam' };
        break;
      case 1:
        when = {
          fields: { customer },
          any: [{ fields: { channel: m(['phone']), withinHours: m([false]) } }, { fields: { service: m(['d365', 'azure']) } }],
        };
        then = { note: `Key account ${i}: call the account manager.` };
        break;
      case 2:
        when = { fields: { customer, category: m(['billing', 'subscription']) } };
        then = { billable: false, response: '2h', responseMinutes: 120 };
        break;
      default:
        when = { fields: { customer, offering: m(['standard']), serviceIncident: m([true]) } };
        then = { reject: 'Raise service incidents through the Microsoft status page first.' };
    }
    extra.push({ id: `extra-${i}`, when, then });
  }
  return { ...plan, rules: [...plan.rules, ...extra] };
}

// ---- the same checks and rules for json-rules-engine

function jreCondition(field: RuleField, mt: Matcher): TopLevelCondition | Record<string, unknown> {
  if (mt.values.length === 1) return { fact: field, operator: mt.negate ? 'notEqual' : 'equal', value: mt.values[0] };
  return { fact: field, operator: mt.negate ? 'notIn' : 'in', value: mt.values };
}

function jreWhen(when: RuleWhen): TopLevelCondition {
  const all: unknown[] = Object.entries(when.fields).map(([f, mt]) => jreCondition(f as RuleField, mt as Matcher));
  if (when.any !== undefined) all.push({ any: when.any.map(jreWhen) });
  if (all.length === 0) all.push({ fact: 'always', operator: 'equal', value: true });
  return { all } as TopLevelCondition;
}

interface RunState {
  matched: string[];
  notes: string[];
  reject: string | null;
  route: string | null;
  billable: boolean | null;
  minutes: number;
  target: string;
}

interface JreEvaluator {
  (req: SupportRequest): Promise<Decision>;
}

/** The §3.2 checks and §3.3 rules as json-rules-engine rules; decision fields computed alike. */
export function jreEvaluator(plan: Plan): JreEvaluator {
  const opt = { allowUndefinedFacts: true };
  const check = (code: string, conditions: unknown): RuleProperties => ({
    name: code,
    conditions: conditions as TopLevelCondition,
    event: { type: code },
  });
  const checks = new Engine(
    [
      check('UNKNOWN_OFFERING', { all: [{ fact: 'known', operator: 'equal', value: false }] }),
      check('SERVICE_NOT_COVERED', { all: [{ fact: 'known', operator: 'equal', value: true }, { fact: 'service', operator: 'notIn', value: { fact: 'services' } }] }),
      check('CATEGORY_NOT_COVERED', { all: [{ fact: 'known', operator: 'equal', value: true }, { fact: 'category', operator: 'notIn', value: { fact: 'categories' } }] }),
      check('CHANNEL_NOT_OFFERED', { all: [{ fact: 'known', operator: 'equal', value: true }, { fact: 'channel', operator: 'notIn', value: { fact: 'channels' } }] }),
      check('CHANNEL_CLOSED', { all: [{ fact: 'channel', operator: 'in', value: { fact: 'channels' } }, { fact: 'channelOpen', operator: 'equal', value: false }] }),
      check('SEVERITY_NOT_OFFERED', { all: [{ fact: 'known', operator: 'equal', value: true }, { fact: 'severity', operator: 'notIn', value: { fact: 'severities' } }] }),
    ],
    opt,
  );
  const n = plan.rules.length;
  const rules = new Engine(
    plan.rules.map((r, i) => ({
      name: r.id,
      priority: n - i + 1, // file order: higher priority runs first
      conditions: jreWhen(r.when),
      event: { type: 'rule', params: { index: i } },
    })),
    opt,
  );
  // effects of the rules that fired, in priority (= file) order, for the run in progress
  let state: RunState | null = null;
  rules.on('success', (event) => {
    const st = state!;
    if (st.reject !== null) return;
    const r = plan.rules[event.params!.index as number];
    st.matched.push(r.id);
    const t = r.then;
    if (t.reject !== undefined) {
      st.reject = t.reject;
      rules.stop();
      return;
    }
    if (t.route !== undefined) st.route = t.route;
    if (t.billable !== undefined) st.billable = t.billable;
    if (t.responseMinutes !== undefined) {
      st.minutes = t.responseMinutes;
      st.target = t.response ?? st.target;
    }
    if (t.note !== undefined) st.notes.push(t.note);
  });
  const partnerZone = zoneOffsets(plan.partner.timezone);
  const ms = plan.partner.microsoft;
  return async (req) => {
    const at = parseInstant(req.receivedAt);
    const o = plan.offerings.get(req.offering ?? '');
    const channel = o !== undefined && o.channels.includes(req.channel) ? plan.channels.get(req.channel) : undefined;
    const withinHours = o === undefined ? null : o.calendar.isOpen(at);
    const facts = {
      ...req,
      known: o !== undefined,
      services: o?.services ?? [],
      categories: o?.categories ?? [],
      channels: o?.channels ?? [],
      severities: o === undefined ? [] : [...o.severities.keys()],
      channelOpen: channel === undefined ? true : channel.calendar.isOpen(at),
    };
    const escalation = req.category === 'technical' ? (ms.technical[0] ?? null) : ms.commercial ? 'commercial' : null;
    const failed = await checks.run(facts);
    const base = {
      offering: o?.id ?? null,
      handledBy: null,
      escalation,
      withinHours,
      responseTarget: null,
      responseDueAt: null,
      billable: null,
    };
    if (failed.events.length > 0) {
      const reasons = failed.events.map((e) => ({ code: e.type as Decision['reasons'][number]['code'], message: e.type }));
      return { accepted: false, reasons, ...base, rules: [], notes: [] };
    }
    const sev = o!.severities.get(req.severity)!;
    const st: RunState = { matched: [], notes: [], reject: null, route: null, billable: null, minutes: sev.responseMinutes, target: sev.response };
    state = st;
    await rules.run({ ...req, offering: o!.id, withinHours, serviceIncident: req.serviceIncident === true, always: true });
    const { matched, notes, reject, route, billable, minutes, target } = st;
    if (reject !== null) {
      return { accepted: false, reasons: [{ code: 'RULE_REJECTED', message: reject }], ...base, rules: matched, notes };
    }
    const due = sev.calendar.addWorkingTime(at, minutes);
    const dueZone = sev.calendar.alwaysOpen ? partnerZone : zoneOffsets(sev.calendar.timezone);
    const day = partnerZone.localDate(at);
    const perIncident = o!.pricing.some(
      (c) =>
        c.model === 'per-incident' &&
        (c.categories === null || c.categories.includes(req.category as never)) &&
        (c.from === undefined || c.from <= day) &&
        (c.to === undefined || c.to >= day),
    );
    return {
      accepted: true,
      reasons: [],
      ...base,
      handledBy: route ?? o!.delivery,
      responseTarget: target,
      responseDueAt: dueZone.format(due),
      billable: billable ?? perIncident,
      rules: matched,
      notes,
    };
  };
}

// ---- measurement
// Rates are per second of this process's CPU time, not wall time: the machine
// is shared, and CPU time is what "on one core" means.
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function measureSync(reqs: readonly SupportRequest[], plan: Plan, seconds: number): number {
  let sink = 0;
  const run = (ms: number) => {
    let count = 0;
    const t0 = cpuMs();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < reqs.length; i++) {
        const d = evaluate(plan, reqs[i]);
        if (d.accepted) sink++;
      }
      count += reqs.length;
      t = cpuMs();
    }
    return (count * 1000) / (t - t0);
  };
  run(300); // warm up: compile the plan, tabulate zone offsets and calendar chunks, let V8 optimize
  const rate = bestOf(ROUNDS, () => run((seconds * 1000) / ROUNDS));
  if (sink < 0) console.log(sink);
  return rate;
}

async function measureAsync(reqs: readonly SupportRequest[], f: JreEvaluator, seconds: number): Promise<number> {
  const run = async (ms: number) => {
    let count = 0;
    const t0 = cpuMs();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < 200 && i < reqs.length; i++) await f(reqs[(count + i) % reqs.length]);
      count += Math.min(200, reqs.length);
      t = cpuMs();
    }
    return (count * 1000) / (t - t0);
  };
  await run(300);
  let best = 0;
  for (let i = 0; i < ROUNDS; i++) best = Math.max(best, await run((seconds * 1000) / ROUNDS));
  return best;
}

/**
 * Both sides are timed in rounds and keep their best: on a shared 2-core VM a
 * round that another process disturbed (CPU steal, cache) is noise, and
 * taking the best of each side the same way is fair to both.
 */
const ROUNDS = 5;
const bestOf = (n: number, f: () => number): number => {
  let best = 0;
  for (let i = 0; i < n; i++) best = Math.max(best, f());
  return best;
};

export async function runEvaluateBench(opts: { seconds?: number } = {}): Promise<BenchResult[]> {
  const seconds = opts.seconds ?? 2;
  const contoso = loadContoso();
  const results: BenchResult[] = [];
  const cases: Array<[string, Plan]> = [
    [`evaluate contoso (${contoso.rules.length} rules)`, contoso],
    ['evaluate contoso + 10 rules', withExtraRules(contoso, 10)],
    ['evaluate contoso + 1,000 rules', withExtraRules(contoso, 1000)],
  ];
  const reqs = requestMix(contoso, 10_000);
  for (const [name, plan] of cases) {
    const value = measureSync(reqs, plan, seconds);
    const anchorValue = await measureAsync(reqs, jreEvaluator(plan), seconds);
    results.push({ name, value, unit: 'decisions/s', anchor: 'json-rules-engine', anchorValue, ratio: value / anchorValue });
  }
  return results;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  void runEvaluateBench().then((results) => {
    for (const r of results) {
      console.log(`${r.name}: ${fmt(r.value)} ${r.unit}; ${r.anchor}: ${fmt(r.anchorValue)} ${r.unit}; ratio ${r.ratio.toFixed(1)}x`);
    }
  });
}
