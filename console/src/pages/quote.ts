// The quote page.
import { addStrings } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Page } from './types.js';

addStrings({ 'en-US': { 'nav.quote': 'Quote' }, 'zh-CN': { 'nav.quote': '报价' } });

export const quotePage: Page = {
  id: 'quote',
  titleKey: 'nav.quote',
  render(root, ctx) {
    root.replaceChildren(h('h1', null, ctx.t('nav.quote')));
  },
};
