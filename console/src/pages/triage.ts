// Triage: a request evaluated by POST ./evaluate (nothing stored) — the
// decision, its reasons with their codes in words, who handles it, the
// escalation vehicle, and the first response's due time in the partner's zone.
import { addStrings, fmtDateTime, localText, zonedInstant, zonedNow } from '../lib/i18n.js';
import { errorBox, field, fill, h, select } from '../lib/dom.js';
import type { Ctx, Page } from './types.js';
import { loadPlan } from './plan-data.js';
import { triageStrings } from './triage.strings.js';

addStrings(triageStrings);

export interface Decision {
  accepted: boolean;
  reasons: { code: string; message: string }[];
  offering: string | null;
  handledBy: string | null;
  escalation: string | null;
  withinHours: boolean | null;
  responseTarget: string | null;
  responseDueAt: string | null;
  billable: boolean | null;
  rules: string[];
  notes: string[];
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

export function decisionView(ctx: Ctx, d: Decision, names: { offering(id: string): string; provider(id: string): string }): HTMLElement {
  const { t } = ctx;
  const yesNo = (b: boolean | null) => (b === null ? t('triage.none') : b ? t('triage.yes') : t('triage.no'));
  const words = (key: string, fallback: string) => {
    const text = t(key);
    return text === key ? fallback : text;
  };
  const row = (key: string, value: string | Node, id?: string) => [h('dt', null, t(key)), h('dd', id ? { id } : null, value)];
  return h(
    'div',
    { class: 'decision-view' },
    h('p', null, h('span', { id: 'decision', class: `decision ${d.accepted ? 'accepted' : 'rejected'}`, 'data-accepted': String(d.accepted) }, d.accepted ? t('triage.accepted') : t('triage.rejected'))),
    d.reasons.length
      ? [
          h('h3', null, t('triage.reasons')),
          h(
            'ul',
            { class: 'reasons' },
            ...d.reasons.map((r) => h('li', { 'data-code': r.code }, h('strong', null, words(`reason.${r.code}`, r.code)), ' ', h('code', null, r.code), h('br'), h('span', { class: 'muted' }, r.message))),
          ),
        ]
      : null,
    h(
      'dl',
      { class: 'facts' },
      row('triage.offering', d.offering ? names.offering(d.offering) : t('triage.none')),
      row('triage.handledBy', d.handledBy ? names.provider(d.handledBy) : d.offering ? t('triage.handledBy.partner') : t('triage.none'), 'handled-by'),
      row('triage.escalation', d.escalation ? words(`escalation.${d.escalation}`, d.escalation) : t('triage.none'), 'escalation'),
      row('triage.withinHours', yesNo(d.withinHours)),
      row('triage.responseTarget', d.responseTarget ?? t('triage.none')),
      row('triage.responseDueAt', d.responseDueAt ? fmtDateTime(d.responseDueAt) : t('triage.none'), 'due'),
      row('triage.billable', yesNo(d.billable)),
    ),
    d.rules.length ? [h('h3', null, t('triage.rules')), h('ul', null, ...d.rules.map((r) => h('li', null, r)))] : null,
    d.notes.length ? [h('h3', null, t('triage.notes')), h('ul', null, ...d.notes.map((n) => h('li', null, n)))] : null,
  );
}

export const triagePage: Page = {
  id: 'triage',
  titleKey: 'nav.triage',
  async render(root, ctx, params) {
    const { t } = ctx;
    const [data, customers] = await Promise.all([loadPlan(ctx.api), ctx.api.get<{ items: { id: string; name: string }[] }>('./customers?limit=200')]);
    const { plan } = data;
    const offerings = Object.values(plan.offerings);
    const offeringName = (id: string) => `${localText(plan.offerings[id]?.name, id)} (${id})`;
    const providerName = (id: string) => (id === 'partner' ? `${localText(plan.partner.name, plan.partner.id)} (${t('triage.handledBy.partner')})` : localText(plan.providers?.[id]?.name, id));
    const p = (k: string, fallback: string) => params.get(k) ?? fallback;
    const f = {
      customer: select([['', t('triage.noCustomer')], ...customers.items.map((c) => [c.id, `${c.name} (${c.id})`] as const)], p('customer', customers.items[0]?.id ?? ''), { name: 'customer' }),
      offering: select([['', t('triage.anyOffering')], ...offerings.map((o) => [o.id, offeringName(o.id)] as const)], p('offering', ''), { name: 'offering' }),
      service: select(Object.values(plan.services).map((s) => [s.id, `${localText(s.name, s.id)} (${s.id})`] as const), p('service', Object.keys(plan.services)[0] ?? ''), { name: 'service' }),
      category: select(unique(offerings.flatMap((o) => o.categories)).map((c) => [c, c] as const), p('category', offerings[0]?.categories[0] ?? ''), { name: 'category' }),
      severity: select(unique(offerings.flatMap((o) => Object.keys(o.severities))).sort().map((s) => [s, s] as const), p('severity', ''), { name: 'severity' }),
      channel: select(Object.values(plan.channels).map((c) => [c.id, `${c.id} (${c.type})`] as const), p('channel', Object.keys(plan.channels)[0] ?? ''), { name: 'channel' }),
      receivedAt: h('input', { type: 'datetime-local', name: 'receivedAt', required: true, value: p('receivedAt', zonedNow(Date.now(), ctx.zone).local) }),
      serviceIncident: h('input', { type: 'checkbox', name: 'serviceIncident' }),
    };
    const result = h('div', { class: 'result', 'aria-live': 'polite' });
    const evaluate = async () => {
      const receivedAt = zonedInstant(f.receivedAt.value, ctx.zone);
      const body = {
        ...(f.customer.value ? { customer: f.customer.value } : {}),
        ...(f.offering.value ? { offering: f.offering.value } : {}),
        service: f.service.value,
        category: f.category.value,
        severity: f.severity.value,
        channel: f.channel.value,
        receivedAt: receivedAt ?? f.receivedAt.value,
        ...(f.serviceIncident.checked ? { serviceIncident: true } : {}),
      };
      try {
        const d = await ctx.api.post<Decision>('./evaluate', body);
        fill(result, decisionView(ctx, d, { offering: offeringName, provider: providerName }));
      } catch (err) {
        fill(result, errorBox(err));
      }
    };
    const form = h(
      'form',
      {
        class: 'triage-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void evaluate();
        },
      },
      h(
        'div',
        { class: 'grid' },
        field('triage.customer', f.customer),
        field('triage.offering', f.offering),
        field('triage.service', f.service),
        field('triage.category', f.category),
        field('triage.severity', f.severity),
        field('triage.channel', f.channel),
        field('triage.receivedAt', f.receivedAt),
      ),
      h('div', { class: 'field checkbox' }, f.serviceIncident, h('label', { for: (f.serviceIncident.id ||= 'triage-incident') }, t('triage.serviceIncident'))),
      h('button', { type: 'submit', class: 'primary' }, t('triage.evaluate')),
    );
    fill(
      root,
      h('h1', null, t('nav.triage')),
      h('p', { class: 'muted' }, t('triage.intro')),
      h('div', { class: 'cols' }, form, h('section', { class: 'card', 'aria-labelledby': 'triage-result-h' }, h('h2', { id: 'triage-result-h' }, t('triage.decision')), result)),
    );
    fill(form.querySelector(`label[for="${f.receivedAt.id}"]`)!, t('triage.receivedAt', { zone: ctx.zone }));
    await evaluate();
  },
};
