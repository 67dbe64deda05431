// The console's shell: sign-in (a token typed in, or given once as #token=…
// in the address, kept in sessionStorage only), the partner and role, the
// pages' navigation (#/<page>?<params>), the language switch, and errors from
// the API shown with their code.
import { ApiError, createApi, whoAmI, type Me } from './lib/api.js';
import { errorBox, fill, field, h, loading, select } from './lib/dom.js';
import { addStrings, isLocale, LOCALES, localText, setFormat, t, type Locale } from './lib/i18n.js';
import { shellStrings } from './lib/strings.js';
import { pages } from './pages/index.js';
import type { Ctx } from './pages/types.js';

addStrings(shellStrings);

const TOKEN_KEY = 'tierbook.console.token';
const LOCALE_KEY = 'tierbook.console.locale';
const LOCALE_NAMES: Record<Locale, string> = { 'en-US': 'English', 'zh-CN': '中文（简体）' };

const app = document.getElementById('app')!;
let session: { token: string; me: Me } | null = null;

function setLang(locale: Locale): void {
  document.documentElement.lang = locale;
  document.title = t('shell.title');
}

/** A token given in the fragment (#token=…) moves to sessionStorage and leaves the address bar and history. */
function takeFragmentToken(): void {
  const m = /^#token=([^&]+)/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]!));
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

function chosenLocale(me: Me): Locale {
  const stored = sessionStorage.getItem(LOCALE_KEY);
  if (isLocale(stored)) return stored;
  return isLocale(me.locale) ? me.locale : 'en-US';
}

function signInForm(error?: unknown): void {
  session = null;
  const locale: Locale = isLocale(sessionStorage.getItem(LOCALE_KEY)) ? (sessionStorage.getItem(LOCALE_KEY) as Locale) : navigator.language.startsWith('zh') ? 'zh-CN' : 'en-US';
  setFormat(locale, 'UTC');
  setLang(locale);
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const status = h('div', { 'aria-live': 'polite' }, error ? errorBox(error) : null);
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        fill(status, loading());
        void signIn(token).catch((err: unknown) => fill(status, errorBox(err)));
      },
    },
    h('h1', null, t('shell.title')),
    h('p', null, t('shell.signIn.intro')),
    field('shell.token', input),
    h('button', { type: 'submit', class: 'primary' }, t('shell.signIn')),
    status,
  );
  fill(app, h('main', { id: 'main', class: 'signin-page' }, localeSwitch(locale, () => signInForm()), form));
  input.focus();
}

async function signIn(token: string): Promise<void> {
  const me = await whoAmI(token);
  if (me.partner === null) throw new ApiError(403, 'OPERATOR_TOKEN', t('shell.operator'));
  sessionStorage.setItem(TOKEN_KEY, token);
  session = { token, me };
  if (!location.hash.startsWith('#/')) history.replaceState(null, '', `${location.pathname}${location.search}#/${pages[0]!.id}`);
  renderShell();
}

function localeSwitch(current: Locale, changed: () => void): HTMLElement {
  const s = select(
    LOCALES.map((l) => [l, LOCALE_NAMES[l]] as const),
    current,
    {
      name: 'locale',
      onchange: (ev: Event) => {
        sessionStorage.setItem(LOCALE_KEY, (ev.target as HTMLSelectElement).value);
        changed();
      },
    },
  );
  return h('div', { class: 'locale' }, field('shell.locale', s));
}

function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  signInForm();
}

function route(): { id: string; params: URLSearchParams } {
  const m = /^#\/([^?]*)\??(.*)$/.exec(location.hash);
  return { id: m?.[1] || pages[0]!.id, params: new URLSearchParams(m?.[2] ?? '') };
}

let view: HTMLElement | null = null;
let nav: HTMLElement | null = null;
let renderSeq = 0;

function renderShell(): void {
  if (!session) return signInForm();
  const { me, token } = session;
  const locale = chosenLocale(me);
  const zone = me.timezone ?? 'UTC';
  setFormat(locale, zone);
  setLang(locale);
  const role = me.role === 'admin' ? 'admin' : 'viewer';
  const partnerName = localText(me.partnerName, me.partner ?? '');
  nav = h('nav', { 'aria-label': t('shell.nav') });
  view = h('main', { id: 'main', tabindex: '-1' });
  fill(
    app,
    h('a', { href: '#main', class: 'skip' }, t('shell.title')),
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, t('shell.title')),
      h(
        'dl',
        { class: 'who' },
        h('dt', null, t('shell.partner')),
        h('dd', { id: 'partner' }, partnerName, partnerName !== me.partner ? h('span', { class: 'muted' }, ` (${me.partner})`) : null),
        h('dt', null, t('shell.role')),
        h('dd', { id: 'role', 'data-role': role }, t(`shell.role.${role}`)),
      ),
      h('span', { class: 'muted zone' }, t('shell.zone', { zone })),
      localeSwitch(locale, renderShell),
      h('button', { type: 'button', class: 'signout', onclick: signOut }, t('shell.signOut')),
    ),
    nav,
    view,
  );
  const ctx: Ctx = {
    api: createApi(token, me.partner),
    partner: me.partner!,
    role,
    locale,
    zone,
    currency: me.currency ?? 'USD',
    t,
    navigate: (hash: string) => {
      location.hash = hash.startsWith('#') ? hash : `#${hash}`;
    },
    canWrite: role === 'admin',
  };
  current = ctx;
  void renderRoute();
}

let current: Ctx | null = null;

async function renderRoute(): Promise<void> {
  if (!session || !view || !nav || !current) return;
  const { id, params } = route();
  fill(
    nav,
    h(
      'ul',
      null,
      ...pages.map((p) => h('li', null, h('a', { href: `#/${p.id}`, 'aria-current': p.id === id ? 'page' : null }, t(p.titleKey)))),
    ),
  );
  const page = pages.find((p) => p.id === id);
  const seq = ++renderSeq;
  const root = h('div', { class: `page page-${id}` });
  fill(view, root);
  if (!page) {
    fill(root, errorBox(new ApiError(404, 'PAGE_NOT_FOUND', t('shell.notFound', { page: id }))));
    return;
  }
  document.title = `${t(page.titleKey)} · ${t('shell.title')}`;
  fill(root, loading());
  try {
    await page.render(root, current, params);
  } catch (err) {
    if (seq !== renderSeq) return;
    // a token revoked while signed in: back to the sign-in form with the API's answer
    if (err instanceof ApiError && err.status === 401) return signInForm(err);
    fill(root, h('h1', null, t(page.titleKey)), errorBox(err));
  }
}

window.addEventListener('hashchange', () => {
  if (/^#token=/.test(location.hash)) {
    takeFragmentToken();
    void start();
    return;
  }
  void renderRoute();
});

async function start(): Promise<void> {
  takeFragmentToken();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return signInForm();
  fill(app, loading());
  try {
    await signIn(token);
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    signInForm(err);
  }
}

void start();
