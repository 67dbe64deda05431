// Rules (§3.3): references checked, compiled to data, plus the static question
// "does some rule always reject this severity on this channel?".
import type { Matcher, MatcherValue, Rule, RuleField, RuleThen, RuleWhen } from './types.js';
import type { RuleFile, WhenFile } from './schema.js';
import { declared, type Ctx } from './context.js';
import { parseDuration } from '../time/duration.js';
import type { Seg } from './path.js';

export interface RuleScope {
  readonly offerings: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly channels: ReadonlySet<string>;
  readonly severities: ReadonlySet<string>;
  readonly providers: ReadonlySet<string>;
}

const FIELDS: readonly RuleField[] = ['customer', 'offering', 'service', 'category', 'severity', 'channel', 'withinHours', 'serviceIncident'];

function matcher(raw: unknown): Matcher {
  const neg = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
  const v = neg ? (raw as { not: unknown }).not : raw;
  const values = (Array.isArray(v) ? v : [v]) as MatcherValue[];
  return Object.freeze({ negate: neg, values: Object.freeze([...values]) });
}

function checkRefs(ctx: Ctx, field: RuleField, m: Matcher, list: boolean, segs: readonly Seg[], scope: RuleScope): void {
  const known: ReadonlySet<string> | undefined =
    field === 'offering' ? scope.offerings : field === 'service' ? scope.services : field === 'channel' ? scope.channels : field === 'severity' ? scope.severities : undefined;
  if (!known) return;
  const what = field === 'severity' ? 'severity label' : field;
  m.values.forEach((v, i) => {
    if (typeof v === 'string' && !known.has(v)) {
      const at = [...segs, ...(m.negate ? ['not'] : []), ...(list ? [i] : [])];
      ctx.error(at, `unknown ${what} "${v}" ${field === 'severity' ? `(labels of the offerings: ${[...known].join(', ')})` : declared(known)}`);
    }
  });
}

function compileWhen(ctx: Ctx, w: WhenFile, segs: readonly Seg[], scope: RuleScope): RuleWhen {
  const fields: Partial<Record<RuleField, Matcher>> = {};
  for (const f of FIELDS) {
    const raw = (w as Record<string, unknown>)[f];
    if (raw === undefined) continue;
    const m = matcher(raw);
    const list = Array.isArray(m.negate ? (raw as { not: unknown }).not : raw);
    checkRefs(ctx, f, m, list, [...segs, f], scope);
    fields[f] = m;
  }
  const any = w.any?.map((x, i) => compileWhen(ctx, x as WhenFile, [...segs, 'any', i], scope));
  return Object.freeze({ fields: Object.freeze(fields), ...(any ? { any: Object.freeze(any) } : {}) });
}

export function compileRules(ctx: Ctx, rules: readonly RuleFile[], scope: RuleScope): Rule[] {
  const first = new Map<string, number>();
  return rules.map((r, i) => {
    const segs: Seg[] = ['rules', i];
    const prev = first.get(r.id);
    if (prev !== undefined) ctx.error([...segs, 'id'], `duplicate rule id "${r.id}" (also rules[${prev}]); rule ids must be unique`);
    else first.set(r.id, i);
    const when = compileWhen(ctx, r.when, [...segs, 'when'], scope);
    const then: { -readonly [K in keyof RuleThen]: RuleThen[K] } = {};
    const t = r.then;
    if (t.reject !== undefined) then.reject = t.reject;
    if (t.route !== undefined) {
      if (t.route !== 'partner' && !scope.providers.has(t.route))
        ctx.error([...segs, 'then', 'route'], `unknown provider "${t.route}"; route to partner or a provider ${declared(scope.providers)}`);
      then.route = t.route;
    }
    if (t.billable !== undefined) then.billable = t.billable;
    if (t.response !== undefined) {
      then.response = t.response;
      then.responseMinutes = parseDuration(t.response) ?? 0;
    }
    if (t.note !== undefined) then.note = t.note;
    return Object.freeze({ id: r.id, ...(r.description !== undefined ? { description: r.description } : {}), when, then: Object.freeze(then) });
  });
}

function matches(m: Matcher | undefined, value: MatcherValue): boolean {
  if (!m) return true;
  return m.values.includes(value) !== m.negate;
}

/**
 * True when some rule rejects every request of this offering, severity and
 * channel whatever else it carries (only rules conditioned on nothing but
 * offering, severity and channel count).
 */
export function alwaysRejected(rules: readonly Rule[], offering: string, severity: string, channel: string): boolean {
  return rules.some((r) => {
    if (r.then.reject === undefined || r.when.any) return false;
    const keys = Object.keys(r.when.fields) as RuleField[];
    if (keys.some((k) => k !== 'offering' && k !== 'severity' && k !== 'channel')) return false;
    return matches(r.when.fields.offering, offering) && matches(r.when.fields.severity, severity) && matches(r.when.fields.channel, channel);
  });
}
