// The plan page.
import { addStrings } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Page } from './types.js';

addStrings({ 'en-US': { 'nav.plan': 'Plan' }, 'zh-CN': { 'nav.plan': '服务方案' } });

export const planPage: Page = {
  id: 'plan',
  titleKey: 'nav.plan',
  render(root, ctx) {
    root.replaceChildren(h('h1', null, ctx.t('nav.plan')));
  },
};
