// The margin page (built by helper C2; this module only holds its place).
import { addStrings } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Page } from './types.js';

addStrings({ 'en-US': { 'nav.margin': 'Margin' }, 'zh-CN': { 'nav.margin': '利润率' } });

export const marginPage: Page = {
  id: 'margin',
  titleKey: 'nav.margin',
  render(root, ctx) {
    root.replaceChildren(h('h1', null, ctx.t('nav.margin')));
  },
};
