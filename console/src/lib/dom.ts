// Building the page: elements with text content only (never HTML from data),
// labelled controls, tables, error boxes and an accessible modal dialog.
import { ApiError } from './api.js';
import { t } from './i18n.js';

export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

function append(el: Element | DocumentFragment, c: Child): void {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) for (const x of c as readonly Child[]) append(el, x);
  else if (c instanceof Node) el.appendChild(c);
  else el.appendChild(document.createTextNode(String(c)));
}

/** h('button', { class: 'primary', onclick: go }, 'Save'): attributes as given, event handlers for on*, children as text or nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'value' && 'value' in el) (el as unknown as { value: string }).value = String(v);
    else if (k === 'checked' && el instanceof HTMLInputElement) el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) append(el, c);
  return el;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children) append(el, c);
}

let ids = 0;
/** A unique element id. */
export const uid = (prefix = 'f'): string => `${prefix}-${++ids}`;

/** A control with its label (the label's for names the control's id). */
export function field(labelKey: string, input: HTMLElement, hintKey?: string): HTMLElement {
  if (!input.id) input.id = uid();
  const hint = hintKey ? h('small', { id: `${input.id}-hint`, class: 'hint' }, t(hintKey)) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, t(labelKey)), input, hint);
}

/** A <select> of [value, text] options. */
export function select(options: ReadonlyArray<readonly [string, string]>, value?: string, attrs: Attrs = {}): HTMLSelectElement {
  const s = h('select', attrs, ...options.map(([v, text]) => h('option', { value: v }, text)));
  // a value that is not an option leaves the first one chosen (never an empty select)
  if (value !== undefined && options.some(([v]) => v === value)) s.value = value;
  return s;
}

/** A table with a header row; cells are text or nodes. Numeric columns (by index) align right. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly Child[]>, opts: { caption?: string; numeric?: readonly number[]; class?: string } = {}): HTMLTableElement {
  const num = new Set(opts.numeric ?? []);
  return h(
    'table',
    { class: opts.class ?? null },
    opts.caption ? h('caption', null, opts.caption) : null,
    h('thead', null, h('tr', null, ...headers.map((x, i) => h('th', { scope: 'col', class: num.has(i) ? 'num' : null }, x)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c, i) => h('td', { class: num.has(i) ? 'num' : null }, c))))),
  );
}

/** An error as the user sees it: the API's code and its message. */
export function errorBox(err: unknown): HTMLElement {
  const code = err instanceof ApiError ? err.code : 'CONSOLE_ERROR';
  const message = err instanceof Error ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' }, h('strong', { class: 'code' }, code), ' ', h('span', { class: 'message' }, message));
}

export interface DialogButton {
  readonly label: string;
  readonly onClick: (close: () => void) => void | Promise<void>;
  readonly primary?: boolean;
}

/**
 * A modal dialog (<dialog> shown modal: the page behind is inert, focus stays
 * inside, Escape closes). Removed from the document once closed.
 */
export function dialog(title: string, content: Child, buttons: readonly DialogButton[]): HTMLDialogElement {
  const titleId = uid('dlg');
  const d = h('dialog', { 'aria-labelledby': titleId, class: 'modal' });
  const close = () => d.close();
  const status = h('div', { class: 'dialog-status', 'aria-live': 'polite' });
  fill(
    d,
    h('h2', { id: titleId }, title),
    h('div', { class: 'dialog-body' }, content),
    status,
    h(
      'div',
      { class: 'actions' },
      ...buttons.map((b) =>
        h('button', {
          type: 'button',
          class: b.primary ? 'primary' : null,
          onclick: async () => {
            status.replaceChildren();
            try {
              await b.onClick(close);
            } catch (err) {
              status.replaceChildren(errorBox(err));
            }
          },
        }, b.label),
      ),
      h('button', { type: 'button', onclick: close }, t('shell.close')),
    ),
  );
  d.addEventListener('close', () => d.remove());
  document.body.appendChild(d);
  d.showModal();
  return d;
}

/** `fn` called once `ms` after the last call (typing in a form). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A "Loading…" line for a region being fetched. */
export const loading = (): HTMLElement => h('p', { class: 'loading', role: 'status' }, t('shell.loading'));
