// What a plan's rules do to a customer, in words (the support terms): each
// `reject` rule that can apply to the offering as a sentence ("Critical (A)
// requests must be raised by phone."), and for each severity when it can be
// raised at all, given the channels the rules leave it and those channels'
// hours, so the terms never promise 24×7 where the rules and channel hours
// refuse a request.
import type { Calendar } from '../calendar/types.js';
import type { Matcher, MatcherValue, Offering, Plan, Rule, RuleField, Severity } from '../plans/types.js';
import type { Formatter } from './format.js';
import type { MessageKey } from './i18n.js';

const matches = (m: Matcher | undefined, v: MatcherValue): boolean => m === undefined || m.values.includes(v) !== m.negate;

/** Could the rule apply to some request of this offering? (Fields it does not read are any value.) */
function reaches(rule: Rule, o: Offering): boolean {
  const f = rule.when.fields;
  if (!matches(f.offering, o.id)) return false;
  if (f.severity && ![...o.severities.keys()].some((l) => matches(f.severity, l))) return false;
  if (f.channel && !o.channels.some((c) => matches(f.channel, c))) return false;
  return true;
}

/** Does the rule refuse every request of this severity on this channel (no other field, no `any`)? `outside`: only outside coverage hours. */
function refuses(rule: Rule, o: Offering, severity: string, channel: string): 'always' | 'outside' | null {
  if (!rule.then.reject || rule.when.any) return null;
  const f = rule.when.fields;
  const keys = Object.keys(f) as RuleField[];
  if (keys.some((k) => k !== 'offering' && k !== 'severity' && k !== 'channel' && k !== 'withinHours')) return null;
  if (!matches(f.offering, o.id) || !matches(f.severity, severity) || !matches(f.channel, channel)) return null;
  if (!f.withinHours) return 'always';
  if (matches(f.withinHours, true) && matches(f.withinHours, false)) return 'always';
  return matches(f.withinHours, false) ? 'outside' : null;
}

const severityName = (fmt: Formatter, s: Severity | undefined, label: string): string => (s?.name ? fmt.t('severity.named', { name: fmt.text(s.name), label }) : label);

/** The values a matcher names, in words; negated: "other than …". */
function valuesText(fmt: Formatter, m: Matcher, word: (v: string) => string): string {
  const list = fmt.list(m.values.map((v) => word(String(v))));
  return m.negate ? fmt.t('terms.rule.otherThan', { list }) : list;
}

/** One reject rule as a sentence in the document's locale (falls back to its own message when its conditions cannot be put in words). */
export function ruleSentence(fmt: Formatter, plan: Plan, o: Offering, rule: Rule): string {
  const f = rule.when.fields;
  if (rule.when.any || f.customer) return rule.then.reject ?? '';
  const channelWord = (id: string): string => {
    const ch = plan.channels.get(id);
    return ch ? fmt.t(`channel.${ch.type}` as MessageKey).toLowerCase() : id;
  };
  const subject = f.severity
    ? fmt.t('terms.rule.subjectSeverity', { severities: valuesText(fmt, f.severity, (l) => severityName(fmt, o.severities.get(l), l)) })
    : fmt.t('terms.rule.subject');
  const conditions: string[] = [];
  if (f.service) conditions.push(fmt.t('terms.rule.service', { list: valuesText(fmt, f.service, (s) => fmt.text(plan.services.get(s)?.name ?? s)) }));
  if (f.category) conditions.push(fmt.t('terms.rule.category', { list: valuesText(fmt, f.category, (c) => fmt.t(`category.${c}` as MessageKey)) }));
  if (f.serviceIncident) conditions.push(fmt.t(matches(f.serviceIncident, true) ? 'terms.rule.incident' : 'terms.rule.noIncident'));
  if (f.withinHours) conditions.push(fmt.t(matches(f.withinHours, true) ? 'terms.rule.withinHours' : 'terms.rule.outsideHours'));
  // "must be raised by phone": a channel list the rule refuses all others of
  if (f.channel?.negate && conditions.length === 0) return fmt.t('terms.rule.mustUse', { subject, channels: fmt.list([...new Set(f.channel.values.map((v) => channelWord(String(v))))]) });
  if (f.channel) conditions.unshift(fmt.t('terms.rule.channel', { list: valuesText(fmt, f.channel, channelWord) }));
  return fmt.t('terms.rule.notAccepted', { subject, conditions: conditions.join(fmt.t('terms.rule.and')) });
}

/** The reject rules that can apply to the offering, in words, in file order. */
export function rejectSentences(fmt: Formatter, plan: Plan, o: Offering): string[] {
  return plan.rules.filter((r) => r.then.reject && reaches(r, o)).map((r) => ruleSentence(fmt, plan, o, r));
}

/**
 * When a severity can be raised, in words, or '' when any channel left to it
 * is open whenever its clock counts (then the "counted during" hours say it
 * all). Otherwise: the hours of the channels the rules leave it, with their
 * names ("Mon–Fri 08:00–18:00, by phone"), or that it cannot be raised.
 */
export function raisedText(fmt: Formatter, plan: Plan, o: Offering, s: Severity, schedule: (c: Calendar) => string, label = s.label): string {
  const open: { channel: string; calendar: Calendar }[] = [];
  for (const id of o.channels) {
    const ch = plan.channels.get(id);
    if (!ch) continue;
    const verdicts = plan.rules.map((r) => refuses(r, o, s.label, id));
    if (verdicts.includes('always')) continue;
    // refused outside coverage hours: a round-the-clock channel is then only as open as the offering's calendar
    const calendar = verdicts.includes('outside') && ch.calendar.alwaysOpen ? o.calendar : ch.calendar;
    open.push({ channel: id, calendar });
  }
  if (open.length === 0) return fmt.t('terms.severity.notRaised', { severity: label });
  if (open.some((c) => c.calendar.alwaysOpen || c.calendar === s.calendar)) return '';
  const name = (id: string): string => fmt.t(`channel.${plan.channels.get(id)!.type}` as MessageKey).toLowerCase();
  const byCalendar = new Map<Calendar, string[]>();
  for (const c of open) byCalendar.set(c.calendar, [...new Set([...(byCalendar.get(c.calendar) ?? []), name(c.channel)])]);
  const when = [...byCalendar].map(([cal, names]) => fmt.t('terms.severity.raisedWhen', { schedule: schedule(cal), channels: fmt.list(names) }));
  return fmt.t('terms.severity.raised', { severity: label, when: fmt.list(when) });
}
