// The month-end page (built by helper C2; this module only holds its place).
import { addStrings } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Page } from './types.js';

addStrings({ 'en-US': { 'nav.month-end': 'Month end' }, 'zh-CN': { 'nav.month-end': '月末结算' } });

export const monthEndPage: Page = {
  id: 'month-end',
  titleKey: 'nav.month-end',
  render(root, ctx) {
    root.replaceChildren(h('h1', null, ctx.t('nav.month-end')));
  },
};
