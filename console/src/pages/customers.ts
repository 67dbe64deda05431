// The customers page (built by helper C2; this module only holds its place).
import { addStrings } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Page } from './types.js';

addStrings({ 'en-US': { 'nav.customers': 'Customers' }, 'zh-CN': { 'nav.customers': '客户' } });

export const customersPage: Page = {
  id: 'customers',
  titleKey: 'nav.customers',
  render(root, ctx) {
    root.replaceChildren(h('h1', null, ctx.t('nav.customers')));
  },
};
