// The month-end page: a period (last month in the partner's zone by
// default), every customer's draft total and warnings, finalize one or all
// with a progress view (one POST after another, each result shown, refusals
// with their code, SPEND_MISSING with "finalize anyway"), the period's issued
// documents with their status, a document opened from its stored JSON, and
// the credit note and void dialogs, which show what will be issued (the
// API's own preview of the credit note) before anything is.
import { ApiError } from '../lib/api.js';
import { addStrings, fmtDate, fmtDateTime, fmtMoney, fmtMonth, t } from '../lib/i18n.js';
import { debounce, errorBox, field, fill, h, loading, uid, dialog, type Child } from '../lib/dom.js';
import type { Ctx, Page } from './types.js';
import { monthEndStrings } from './month-end.strings.js';
import { mapLimit, money, periodInput, periodParam, withQuery as q, type ListPage } from './shared.js';

addStrings(monthEndStrings);

interface Customer {
  id: string;
  name: string;
}
interface Line {
  line?: number;
  component?: string;
  description?: string;
  amount: string;
  taxable?: boolean;
}
interface Draft {
  currency: string;
  total: string;
  lines: Line[];
  warnings?: { code: string; message: string }[];
}
interface DocSummary {
  number: string;
  kind: 'invoice' | 'credit-note';
  customer: string;
  period: string;
  issuedAt: string;
  total: string;
  status: 'issued' | 'partially-credited' | 'credited' | 'void';
  credited: string;
  credits?: string;
  replaces?: string;
  replacedBy?: string;
}
interface IssuedDoc {
  kind: 'invoice' | 'credit-note';
  number: string | null;
  customer: string;
  period: string;
  currency: string;
  issuedAt: string;
  dueDate?: string;
  credits?: string;
  replaces?: string;
  reason?: string;
  lines: Line[];
  subtotal: string;
  tax: string;
  taxRate?: string;
  total: string;
}

/** Every item of a list, page after page. */
async function everything<T>(ctx: Ctx, path: string, params: Record<string, string | undefined> = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.api.get<ListPage<T>>(q(path, { ...params, limit: '200', cursor }));
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const statusBadge = (status: DocSummary['status']): HTMLElement =>
  h('span', { class: `badge doc-status ${status === 'issued' ? 'good' : status === 'void' ? 'bad' : ''}`, 'data-status': status }, t(`monthEnd.status.${status}`));
const button = (label: string, onclick: () => void, cls = ''): HTMLButtonElement => h('button', { type: 'button', class: cls || null, onclick }, label);

function headRow(...cells: string[]): HTMLElement {
  return h('thead', null, h('tr', null, ...cells.map((c) => h('th', { scope: 'col' }, c))));
}

/** A document's lines and totals (an invoice, a credit note, or the preview of one). */
function documentBody(doc: IssuedDoc): HTMLElement {
  const cur = doc.currency;
  return h(
    'table',
    { class: 'doc-lines' },
    headRow(t('monthEnd.col.line'), t('monthEnd.col.description'), t('monthEnd.col.amount')),
    h(
      'tbody',
      null,
      ...doc.lines.map((l, i) => h('tr', null, h('td', null, String(l.line ?? i)), h('td', null, l.description ?? l.component ?? ''), h('td', { class: 'num' }, money(l.amount, cur)))),
    ),
    h(
      'tfoot',
      null,
      h('tr', null, h('td'), h('td', null, t('monthEnd.subtotal')), h('td', { class: 'num' }, money(doc.subtotal, cur, { 'data-field': 'subtotal' }))),
      h('tr', null, h('td'), h('td', null, doc.taxRate ? t('monthEnd.taxRate', { rate: doc.taxRate }) : t('monthEnd.tax')), h('td', { class: 'num' }, money(doc.tax, cur, { 'data-field': 'tax' }))),
      h('tr', { class: 'total' }, h('td'), h('td', null, t('monthEnd.total')), h('td', { class: 'num' }, money(doc.total, cur, { 'data-field': 'total' }))),
    ),
  );
}

class MonthEnd {
  private readonly progress = h('section', { class: 'progress-view', 'aria-live': 'polite' });
  private readonly notice = h('div', { class: 'notice', 'aria-live': 'polite' });
  private readonly content = h('div', { class: 'month-content' });
  private readonly docView = h('div', { class: 'doc-view' });
  private docs: DocSummary[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly period: string,
  ) {}

  async render(root: HTMLElement): Promise<void> {
    const picker = periodInput(this.ctx, this.period, (p) => `#/month-end?period=${p}`);
    await this.load();
    fill(root, h('h1', null, t('nav.month-end')), h('div', { class: 'grid' }, field('monthEnd.period', picker)), this.notice, this.progress, this.content, this.docView);
  }

  /** (Re)reads the period: customers, their drafts or invoices, and the documents. */
  private async load(): Promise<void> {
    const { ctx, period } = this;
    const [customers, docs] = await Promise.all([everything<Customer>(ctx, './customers'), everything<DocSummary>(ctx, './documents', { period })]);
    this.docs = docs;
    const current = new Map(docs.filter((d) => d.kind === 'invoice' && d.status !== 'void').map((d) => [d.customer, d]));
    type Priced = { draft: Draft } | { error: unknown } | null;
    const drafts = await mapLimit(customers, 6, (c): Promise<Priced> =>
      current.has(c.id)
        ? Promise.resolve(null)
        : ctx.api.get<Draft>(`./statements/${encodeURIComponent(c.id)}/${period}`).then(
            (draft) => ({ draft }),
            (error: unknown) => ({ error }),
          ),
    );
    const rows: HTMLElement[] = [];
    const pending: string[] = [];
    customers.forEach((c, i) => {
      const issued = current.get(c.id);
      const d = drafts[i];
      if (!issued && d && 'draft' in d && d.draft.lines.length === 0) return; // nothing to bill this period
      if (!issued && d && 'draft' in d) pending.push(c.id);
      const name = h('a', { href: `#/customers?id=${encodeURIComponent(c.id)}` }, c.name);
      let total: Child = '';
      let state: Child = '';
      let warnings: Child = '';
      let actions: Child = '';
      if (issued) {
        total = money(issued.total, ctx.currency);
        state = h('span', null, t('monthEnd.issuedAs', { number: issued.number }), ' ', statusBadge(issued.status));
      } else if (d && 'draft' in d) {
        total = money(d.draft.total, d.draft.currency);
        state = t('monthEnd.draft');
        warnings = (d.draft.warnings ?? []).length ? h('div', { class: 'warnings' }, ...(d.draft.warnings ?? []).map((w) => h('p', { class: 'warning', 'data-code': w.code }, h('code', null, w.code), ' ', w.message))) : '';
        if (ctx.canWrite) actions = button(t('monthEnd.finalize'), () => void this.finalize([c.id]), 'write finalize');
      } else if (d) {
        warnings = errorBox(d.error);
      }
      rows.push(h('tr', { 'data-customer': c.id }, h('td', null, name), h('td', { class: 'num' }, total), h('td', null, state), h('td', null, warnings), h('td', null, actions)));
    });
    const drafted =
      rows.length === 0
        ? h('p', { class: 'muted' }, t('monthEnd.noCustomers'))
        : h('table', { class: 'drafts' }, headRow(t('monthEnd.col.customer'), t('monthEnd.col.total'), t('monthEnd.col.state'), t('monthEnd.col.warnings'), t('monthEnd.col.actions')), h('tbody', null, ...rows));
    const all = ctx.canWrite && pending.length > 0 ? button(t('monthEnd.finalizeAll'), () => void this.finalize(pending), 'write primary finalize-all') : null;
    fill(
      this.content,
      h('section', null, h('h2', null, t('monthEnd.drafts', { period: fmtMonth(period) })), pending.length === 0 && rows.length > 0 ? h('p', { class: 'muted' }, t('monthEnd.nothing')) : null, drafted, all),
      h('section', null, h('h2', null, t('monthEnd.documents', { period: fmtMonth(period) })), this.documentsTable()),
    );
  }

  private documentsTable(): HTMLElement {
    const { ctx } = this;
    if (this.docs.length === 0) return h('p', { class: 'muted' }, t('monthEnd.noDocuments'));
    return h(
      'table',
      { class: 'documents' },
      headRow(t('monthEnd.col.number'), t('monthEnd.col.kind'), t('monthEnd.col.customer'), t('monthEnd.col.issuedAt'), t('monthEnd.col.total'), t('monthEnd.col.status'), t('monthEnd.col.credited'), t('monthEnd.col.actions')),
      h(
        'tbody',
        null,
        ...this.docs.map((d) =>
          h(
            'tr',
            { 'data-number': d.number },
            h('td', null, d.number),
            h('td', null, t(`monthEnd.kind.${d.kind}`), d.credits ? h('span', { class: 'muted' }, ` → ${d.credits}`) : null),
            h('td', null, d.customer),
            h('td', null, fmtDateTime(d.issuedAt)),
            h('td', { class: 'num' }, money(d.total, ctx.currency)),
            h('td', null, statusBadge(d.status)),
            h('td', { class: 'num' }, d.kind === 'invoice' ? money(d.credited, ctx.currency) : ''),
            h(
              'td',
              { class: 'actions' },
              button(t('monthEnd.open'), () => void this.open(d.number), 'open'),
              ctx.canWrite && d.kind === 'invoice' && (d.status === 'issued' || d.status === 'partially-credited') ? [' ', button(t('monthEnd.creditNote'), () => void this.creditDialog(d), 'write credit')] : null,
              ctx.canWrite && d.kind === 'invoice' && d.status === 'issued' ? [' ', button(t('monthEnd.void'), () => this.voidDialog(d), 'write void')] : null,
            ),
          ),
        ),
      ),
    );
  }

  /** Finalizes the customers one after another, each result shown as it comes. */
  private async finalize(customers: readonly string[]): Promise<void> {
    const { ctx, period } = this;
    let done = 0;
    const bar = h('progress', { max: customers.length, value: 0, 'aria-label': t('monthEnd.progress') });
    const label = h('span', null, t('monthEnd.progress.label', { done: 0, count: customers.length }));
    const items = new Map(customers.map((c) => [c, h('li', { 'data-customer': c, 'data-state': 'waiting' }, h('strong', null, c), ': ', h('span', { class: 'result' }, t('monthEnd.waiting')))]));
    fill(this.progress, h('h2', null, t('monthEnd.progress')), bar, ' ', label, h('ol', { class: 'progress' }, ...items.values()));
    const show = (li: HTMLElement, state: string, ...result: Child[]): void => {
      li.dataset.state = state;
      fill(li.querySelector('.result')!, ...result);
    };
    const one = async (c: string, force: boolean): Promise<boolean> => {
      const li = items.get(c)!;
      show(li, 'working', t('monthEnd.working'));
      try {
        const doc = await ctx.api.post<IssuedDoc>(`./statements/${encodeURIComponent(c)}/${period}/finalize${force ? '?force=true' : ''}`);
        show(li, 'issued', t('monthEnd.issued', { number: doc.number ?? '', total: fmtMoney(doc.total, doc.currency) }));
        return true;
      } catch (err) {
        const again = err instanceof ApiError && err.code === 'SPEND_MISSING' && ctx.canWrite;
        show(
          li,
          'refused',
          t('monthEnd.refused'),
          errorBox(err),
          again
            ? button(
                t('monthEnd.force'),
                () =>
                  void one(c, true).then(async (ok) => {
                    if (ok) await this.load();
                  }),
                'write force',
              )
            : null,
        );
        return false;
      }
    };
    for (const c of customers) {
      await one(c, false);
      done++;
      bar.value = done;
      label.textContent = t('monthEnd.progress.label', { done, count: customers.length });
    }
    try {
      await this.load();
    } catch (err) {
      fill(this.notice, errorBox(err));
    }
  }

  /** Shows an issued document from its stored JSON. */
  private async open(number: string): Promise<void> {
    const { ctx } = this;
    fill(this.docView, loading());
    try {
      const doc = await ctx.api.get<IssuedDoc>(`./documents/${encodeURIComponent(number)}`);
      const summary = this.docs.find((d) => d.number === number);
      const titleId = uid('doc');
      const facts: Child[] = [
        [h('dt', null, t('monthEnd.doc.customer')), h('dd', null, doc.customer)],
        [h('dt', null, t('monthEnd.doc.period')), h('dd', null, fmtMonth(doc.period))],
        [h('dt', null, t('monthEnd.doc.issuedAt')), h('dd', null, fmtDateTime(doc.issuedAt))],
        doc.dueDate ? [h('dt', null, t('monthEnd.doc.dueDate')), h('dd', null, fmtDate(doc.dueDate))] : null,
        doc.credits ? [h('dt', null, t('monthEnd.doc.credits')), h('dd', null, doc.credits)] : null,
        doc.replaces ? [h('dt', null, t('monthEnd.doc.replaces')), h('dd', null, doc.replaces)] : null,
        doc.reason ? [h('dt', null, t('monthEnd.doc.reason')), h('dd', null, doc.reason)] : null,
      ];
      fill(
        this.docView,
        h(
          'section',
          { class: 'card document', 'data-number': number, 'aria-labelledby': titleId, tabindex: '-1' },
          h('h2', { id: titleId }, t('monthEnd.doc.title', { kind: t(`monthEnd.kind.${doc.kind}`), number }), ' ', summary ? statusBadge(summary.status) : null),
          h('dl', { class: 'facts' }, ...facts),
          documentBody(doc),
          h('p', { class: 'actions' }, this.printable(number), ' ', button(t('monthEnd.doc.close'), () => fill(this.docView))),
        ),
      );
      (this.docView.firstElementChild as HTMLElement).focus();
    } catch (err) {
      fill(this.docView, errorBox(err));
    }
  }

  /**
   * The document as issued, in HTML, in a tab of its own: a short-lived
   * document link (POST ./links; the console's CSP frames nothing, and a
   * link needs no token in the address or a header).
   */
  private printable(number: string): HTMLElement {
    const out = h('span', { class: 'printable', 'aria-live': 'polite' });
    const make = async (): Promise<void> => {
      try {
        const link = await this.ctx.api.post<{ url: string; expiresAt: string }>('./links', { path: `documents/${number}?format=html&locale=${this.ctx.locale}`, ttlSeconds: 600 });
        fill(out, h('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer', class: 'printable-link' }, t('monthEnd.doc.link', { until: fmtDateTime(link.expiresAt) })));
      } catch (err) {
        fill(out, errorBox(err));
      }
    };
    fill(out, button(t('monthEnd.doc.printable'), () => void make(), 'printable'));
    return out;
  }

  /** The credit note dialog: lines to credit, the API's preview of the note, then issue. */
  private async creditDialog(d: DocSummary): Promise<void> {
    const { ctx } = this;
    const invoice = await ctx.api.get<IssuedDoc>(`./documents/${encodeURIComponent(d.number)}`);
    const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 500 });
    const picks = invoice.lines.map((l, i) => ({
      box: h('input', { type: 'checkbox', id: uid('cn'), name: `line-${i}`, 'data-line': i }),
      amount: h('input', { type: 'text', name: `amount-${i}`, inputmode: 'decimal', placeholder: l.amount.replace(/^-/, ''), 'data-line': i }),
      line: l,
    }));
    const preview = h('div', { class: 'cn-preview', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('monthEnd.cn.pick')));
    const issue = h('button', { type: 'button', class: 'primary write issue-credit', disabled: true }, t('monthEnd.cn.issue'));
    let body: { reason: string; lines: { line: number; amount?: string }[] } | null = null;
    let seq = 0;
    const want = (): typeof body => {
      const lines = picks.filter((p) => p.box.checked).map((p) => ({ line: Number(p.box.dataset.line), ...(p.amount.value.trim() ? { amount: p.amount.value.trim() } : {}) }));
      return lines.length > 0 && reason.value.trim() ? { reason: reason.value.trim(), lines } : null;
    };
    const refresh = async (): Promise<void> => {
      const mine = ++seq;
      issue.disabled = true;
      const b = want();
      body = null;
      if (!b) return fill(preview, h('p', { class: 'muted' }, t('monthEnd.cn.pick')));
      fill(preview, loading());
      try {
        const note = await ctx.api.post<IssuedDoc>(`./documents/${encodeURIComponent(d.number)}/credit-notes?preview=true`, b);
        if (mine !== seq) return;
        body = b;
        fill(preview, h('h3', null, t('monthEnd.cn.preview')), documentBody(note));
        issue.disabled = false;
      } catch (err) {
        if (mine === seq) fill(preview, errorBox(err));
      }
    };
    const changed = debounce(() => void refresh(), 200);
    const rows = picks.map((p, i) => {
      p.box.addEventListener('change', () => void refresh());
      p.amount.addEventListener('input', changed);
      return h(
        'tr',
        null,
        h('td', null, p.box, ' ', h('label', { for: p.box.id }, t('monthEnd.cn.credit', { line: i, description: p.line.description ?? p.line.component ?? '' }))),
        h('td', { class: 'num' }, money(p.line.amount, invoice.currency)),
        h('td', null, p.amount),
      );
    });
    picks.forEach((p, i) => p.amount.setAttribute('aria-label', t('monthEnd.cn.amount', { line: i })));
    reason.addEventListener('input', changed);
    const dlg = dialog(
      t('monthEnd.cn.title', { number: d.number }),
      [
        h('p', null, t('monthEnd.cn.intro')),
        h('table', { class: 'cn-lines' }, headRow(t('monthEnd.col.line'), t('monthEnd.col.amount'), t('monthEnd.cn.amount.hint')), h('tbody', null, ...rows)),
        field('monthEnd.cn.reason', reason),
        preview,
      ],
      [],
    );
    issue.addEventListener('click', async () => {
      if (!body) return;
      issue.disabled = true;
      try {
        const note = await ctx.api.post<IssuedDoc>(`./documents/${encodeURIComponent(d.number)}/credit-notes`, body);
        dlg.close();
        fill(this.notice, h('p', { class: 'ok', role: 'status' }, t('monthEnd.cn.issued', { number: note.number ?? '', total: fmtMoney(note.total, note.currency) })));
        await this.load();
      } catch (err) {
        fill(preview, errorBox(err));
      }
    });
    dlg.querySelector('.actions')!.prepend(issue);
  }

  /** The void dialog: what is voided (no document is issued), a reason, then void. */
  private voidDialog(d: DocSummary): void {
    const { ctx } = this;
    const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 500 });
    const dlg = dialog(
      t('monthEnd.void.title', { number: d.number }),
      [
        h('p', null, t('monthEnd.void.intro', { customer: d.customer, period: fmtMonth(d.period) })),
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, t('monthEnd.col.number')),
          h('dd', null, d.number),
          h('dt', null, t('monthEnd.col.customer')),
          h('dd', null, d.customer),
          h('dt', null, t('monthEnd.col.total')),
          h('dd', null, money(d.total, ctx.currency)),
        ),
        field('monthEnd.void.reason', reason),
      ],
      [
        {
          label: t('monthEnd.void.do'),
          primary: true,
          onClick: async (close) => {
            if (!reason.value.trim()) {
              reason.focus();
              return;
            }
            await ctx.api.post(`./documents/${encodeURIComponent(d.number)}/void`, { reason: reason.value.trim() });
            close();
            fill(this.notice, h('p', { class: 'ok', role: 'status' }, t('monthEnd.void.done', { number: d.number })));
            await this.load();
          },
        },
      ],
    );
    dlg.querySelector('.actions button')?.classList.add('write', 'do-void');
  }
}

export const monthEndPage: Page = {
  id: 'month-end',
  titleKey: 'nav.month-end',
  async render(root, ctx, params) {
    await new MonthEnd(ctx, periodParam(params, ctx.zone)).render(root);
    const doc = params.get('doc');
    if (doc) root.querySelector<HTMLButtonElement>(`tr[data-number="${CSS.escape(doc)}"] button.open`)?.click();
  },
};
