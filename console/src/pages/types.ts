// The contract between the shell (main.ts) and the pages.
import type { Api } from '../lib/api.js';
import type { Locale, t } from '../lib/i18n.js';

export interface Ctx {
  api: Api;
  partner: string;
  role: 'admin' | 'viewer';
  locale: Locale;
  /** The partner's IANA time zone: every date and time is shown there. */
  zone: string;
  currency: string;
  t: typeof t;
  navigate(hash: string): void;
  /** Role admin: the page may show controls that write (POST/PATCH). */
  canWrite: boolean;
}

export interface Page {
  id: string;
  titleKey: string;
  render(root: HTMLElement, ctx: Ctx, params: URLSearchParams): void | Promise<void>;
}
