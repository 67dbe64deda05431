// The triage page.
import { addStrings } from '../lib/i18n.js';
import { h } from '../lib/dom.js';
import type { Page } from './types.js';

addStrings({ 'en-US': { 'nav.triage': 'Triage' }, 'zh-CN': { 'nav.triage': '请求分诊' } });

export const triagePage: Page = {
  id: 'triage',
  titleKey: 'nav.triage',
  render(root, ctx) {
    root.replaceChildren(h('h1', null, ctx.t('nav.triage')));
  },
};
