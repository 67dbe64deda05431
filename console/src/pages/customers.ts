// The customers page: a searchable list (GET ./customers, a page at a time)
// and one customer (#/customers?id=…): its subscriptions with quantities and
// agreed prices, the prepaid block balances of a period, and its requests
// with their decision and SLA clocks (GET ./requests/:id answers `sla`).
import { addStrings, fmtDate, fmtDateTime, fmtMoney, fmtNumber, t } from '../lib/i18n.js';
import { debounce, errorBox, field, fill, h, loading, table, type Child } from '../lib/dom.js';
import type { Ctx, Page } from './types.js';
import { customersStrings } from './customers.strings.js';
import { mapLimit, periodInput, periodParam, withQuery as q, type ListPage } from './shared.js';

addStrings(customersStrings);

interface Customer {
  id: string;
  name: string;
  locale?: string | null;
  taxRate?: string | null;
  taxId?: string | null;
  email?: string | null;
}
interface Subscription {
  id: string;
  offering: string;
  start: string;
  end: string | null;
  discount: string | null;
  prices: Record<string, Record<string, unknown>> | null;
  priceAsOf: string | null;
  quantities: { metric: string; value: number; from: string }[];
}
interface Balance {
  component: string;
  unit: 'minutes' | 'incidents';
  opening: number;
  granted: number;
  used: number;
  expired: number;
  closing: number;
}
interface Clock {
  target: string;
  dueAt: string | null;
  state: 'met' | 'breached' | 'open';
  stoppedAt: string | null;
}
interface Sla {
  response: Clock;
  resolution: Clock | null;
  status: string;
  severity: string;
  pauses: { from: string; to: string | null; status: string }[];
}
interface RequestItem {
  id: string;
  service: string;
  severity: string;
  channel: string;
  receivedAt: string;
  decision: { accepted: boolean; offering?: string | null; reasons: { code: string; message: string }[] };
  sla?: Sla | null;
  events?: RequestEvent[];
}
interface RequestEvent {
  id: string;
  at: string;
  type: 'responded' | 'status' | 'severity';
  status: string | null;
  severity: string | null;
}

// ---- the list

function renderList(root: HTMLElement, ctx: Ctx, params: URLSearchParams): Promise<void> {
  const input = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', autocomplete: 'off' });
  const results = h('div', { class: 'customer-results', 'aria-live': 'polite' });
  let seq = 0;
  const search = async (): Promise<void> => {
    const mine = ++seq;
    const rows: Customer[] = [];
    const more = h('button', { type: 'button', class: 'more' }, t('customers.more'));
    const body = h('div');
    const show = (cursor: string | null): void => {
      fill(
        body,
        rows.length === 0
          ? h('p', { class: 'muted' }, t('customers.none'))
          : table(
              [t('customers.col.id'), t('customers.col.name'), t('customers.col.locale'), t('customers.col.taxRate')],
              rows.map((c) => [h('a', { href: `#/customers?id=${encodeURIComponent(c.id)}`, 'data-customer': c.id }, c.id), c.name, c.locale ?? '', c.taxRate ?? '']),
              { class: 'customer-list' },
            ),
        cursor ? more : null,
      );
      more.onclick = () => void load(cursor);
      // the earlier results stay until these are in (no empty flash while typing)
      if (body.parentNode !== results) fill(results, body);
    };
    const load = async (cursor: string | null): Promise<void> => {
      try {
        const page = await ctx.api.get<ListPage<Customer>>(q('./customers', { q: input.value.trim(), limit: '50', cursor: cursor ?? undefined }));
        if (mine !== seq) return;
        rows.push(...page.items);
        show(page.nextCursor);
      } catch (err) {
        if (mine === seq) fill(results, errorBox(err));
      }
    };
    await load(null);
  };
  const typed = debounce(() => void search(), 250);
  input.addEventListener('input', typed);
  const form = h(
    'form',
    {
      class: 'customer-search',
      role: 'search',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void search();
      },
    },
    field('customers.search', input, 'customers.search.hint'),
    h('button', { type: 'submit' }, t('customers.search.go')),
  );
  fill(root, h('h1', null, t('nav.customers')), form, results);
  return search();
}

// ---- one customer

const stateBadge = (state: Clock['state']): HTMLElement =>
  h('span', { class: `badge sla-state ${state === 'met' ? 'good' : state === 'breached' ? 'bad' : ''}`, 'data-state': state }, t(`customers.state.${state}`));

function clockCell(c: Clock | null | undefined): Child {
  if (!c) return h('span', { class: 'muted' }, t('customers.sla.none'));
  return h(
    'div',
    { class: 'clock' },
    stateBadge(c.state),
    ' ',
    h('span', { class: 'muted' }, t('customers.sla.target', { target: c.target })),
    h('br'),
    c.stoppedAt ? t('customers.sla.stopped', { at: fmtDateTime(c.stoppedAt) }) : c.dueAt ? t('customers.sla.due', { at: fmtDateTime(c.dueAt) }) : t('customers.sla.paused'),
  );
}

const statusText = (s: string): string => t(`customers.status.${s}`);

/** The request's events as they apply (GET ./requests/:id/events), then its pauses as the clocks saw them. */
function lifeCell(sla: Sla | null | undefined, events: readonly RequestEvent[] = []): Child {
  const pauses = sla?.pauses ?? [];
  if (events.length === 0 && pauses.length === 0) return '';
  const eventText = (e: RequestEvent): string =>
    e.type === 'responded'
      ? t('customers.event.responded', { at: fmtDateTime(e.at) })
      : e.type === 'status'
        ? t('customers.event.status', { at: fmtDateTime(e.at), status: statusText(e.status ?? '') })
        : t('customers.event.severity', { at: fmtDateTime(e.at), severity: e.severity ?? '' });
  return h(
    'ul',
    { class: 'life' },
    ...events.map((e) => h('li', { class: 'event', 'data-event': e.id }, eventText(e))),
    ...pauses.map((p) =>
      h('li', { class: 'pause' }, p.to ? t('customers.pause', { status: statusText(p.status), from: fmtDateTime(p.from), to: fmtDateTime(p.to) }) : t('customers.pause.open', { status: statusText(p.status), from: fmtDateTime(p.from) })),
    ),
  );
}

function priceText(prices: Subscription['prices'], currency: string): string {
  if (!prices) return t('customers.none.short');
  return Object.entries(prices)
    .map(([component, o]) => `${component}: ${Object.entries(o).map(([k, v]) => (k === 'amount' && typeof v === 'string' ? fmtMoney(v, currency) : `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)).join(', ')}`)
    .join('; ');
}

const hours = (minutes: number): string => fmtNumber((minutes / 60).toFixed(2).replace(/\.?0+$/, ''));

async function renderCustomer(root: HTMLElement, ctx: Ctx, id: string, params: URLSearchParams): Promise<void> {
  const period = periodParam(params, ctx.zone);
  const enc = encodeURIComponent(id);
  const [customer, subs, requests] = await Promise.all([
    ctx.api.get<Customer>(`./customers/${enc}`),
    ctx.api.get<Subscription[]>(`./customers/${enc}/subscriptions`),
    ctx.api.get<ListPage<RequestItem>>(q('./requests', { customer: id, limit: '50' })),
  ]);
  const [balances, detailed] = await Promise.all([
    mapLimit(subs, 6, (s) => ctx.api.get<{ balances: Balance[] }>(q(`./subscriptions/${encodeURIComponent(s.id)}/balances`, { period })).then((b) => b.balances)),
    // each request with its clocks and the events they were computed from (in the order they apply)
    mapLimit(requests.items, 6, async (r) => {
      const [one, events] = await Promise.all([
        ctx.api.get<RequestItem>(`./requests/${encodeURIComponent(r.id)}`),
        ctx.api.get<{ items: RequestEvent[] }>(`./requests/${encodeURIComponent(r.id)}/events`),
      ]);
      return { ...one, events: events.items };
    }),
  ]);

  const picker = periodInput(ctx, period, (p) => `#/customers?id=${enc}&period=${p}`);

  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', null, t('customers.col.id')),
    h('dd', null, customer.id),
    customer.locale ? [h('dt', null, t('customers.col.locale')), h('dd', null, customer.locale)] : null,
    customer.taxRate ? [h('dt', null, t('customers.col.taxRate')), h('dd', null, customer.taxRate)] : null,
    customer.taxId ? [h('dt', null, t('customers.taxId')), h('dd', null, customer.taxId)] : null,
    customer.email ? [h('dt', null, t('customers.email')), h('dd', null, customer.email)] : null,
  );

  const subTable =
    subs.length === 0
      ? h('p', { class: 'muted' }, t('customers.noSubscriptions'))
      : table(
          [t('customers.col.subscription'), t('customers.col.offering'), t('customers.col.dates'), t('customers.col.discount'), t('customers.col.quantities'), t('customers.col.prices')],
          subs.map((s) => [
            h('span', { 'data-subscription': s.id }, s.id),
            s.offering,
            `${fmtDate(s.start)} – ${s.end ? fmtDate(s.end) : t('customers.open')}`,
            s.discount ?? t('customers.none.short'),
            s.quantities.length === 0 ? t('customers.none.short') : h('ul', { class: 'plain' }, ...s.quantities.map((x) => h('li', null, t('customers.from', { value: fmtNumber(x.value), metric: x.metric, date: fmtDate(x.from) })))),
            h('span', { class: 'prices' }, priceText(s.prices, ctx.currency), s.priceAsOf ? h('span', { class: 'muted' }, ` (${t('customers.priceAsOf', { date: fmtDate(s.priceAsOf) })})`) : null),
          ]),
          { class: 'subscriptions' },
        );

  const blockRows = subs.flatMap((s, i) =>
    (balances[i] ?? []).map((b) => {
      const n = (x: number): string => (b.unit === 'minutes' ? hours(x) : fmtNumber(x));
      return [`${s.id} · ${b.component}`, t(`customers.unit.${b.unit}`), n(b.opening), n(b.granted), n(b.used), n(b.expired), n(b.closing)] as Child[];
    }),
  );
  const blocks =
    blockRows.length === 0
      ? null
      : h(
          'section',
          { class: 'balances' },
          h('h2', null, t('customers.balances', { period })),
          table(
            [t('customers.col.component'), t('customers.col.unit'), t('customers.col.opening'), t('customers.col.granted'), t('customers.col.used'), t('customers.col.expired'), t('customers.col.closing')],
            blockRows,
            { numeric: [2, 3, 4, 5, 6] },
          ),
        );

  const reqTable =
    detailed.length === 0
      ? h('p', { class: 'muted' }, t('customers.noRequests'))
      : table(
          [t('customers.col.request'), t('customers.col.received'), t('customers.col.what'), t('customers.col.decision'), t('customers.col.response'), t('customers.col.resolution'), t('customers.col.status'), t('customers.col.life')],
          detailed.map((r) => [
            h('span', { 'data-request': r.id }, r.id),
            fmtDateTime(r.receivedAt),
            `${r.service} · ${r.severity} · ${r.channel}`,
            r.decision.accepted
              ? h('span', { class: 'badge good' }, t('customers.accepted'), r.decision.offering ? ` (${r.decision.offering})` : '')
              : h('div', null, h('span', { class: 'badge bad' }, t('customers.rejected')), h('ul', { class: 'reasons' }, ...r.decision.reasons.map((x) => h('li', null, h('code', null, x.code), ' ', x.message)))),
            clockCell(r.sla?.response),
            clockCell(r.sla?.resolution),
            r.sla ? statusText(r.sla.status) : '',
            lifeCell(r.sla, r.events),
          ]),
          { class: 'requests' },
        );

  fill(
    root,
    h('p', null, h('a', { href: '#/customers' }, `← ${t('customers.back')}`)),
    h('h1', null, customer.name),
    h('section', { class: 'card' }, h('h2', null, t('customers.facts')), facts, field('customers.period', picker)),
    h('section', null, h('h2', null, t('customers.subscriptions')), subTable),
    blocks,
    h('section', null, h('h2', null, t('customers.requests')), reqTable),
  );
}

export const customersPage: Page = {
  id: 'customers',
  titleKey: 'nav.customers',
  async render(root, ctx, params) {
    const id = params.get('id');
    if (!id) return renderList(root, ctx, params);
    fill(root, h('h1', null, t('nav.customers')), loading());
    try {
      await renderCustomer(root, ctx, id, params);
    } catch (err) {
      fill(root, h('p', null, h('a', { href: '#/customers' }, `← ${t('customers.back')}`)), h('h1', null, t('nav.customers')), errorBox(err));
    }
  },
};
