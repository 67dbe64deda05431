import t from 'tap';
import { negotiateFormat } from '../../src/render/index.js';

const S = ['json', 'html', 'md', 'csv'] as const;
t.test('format negotiation: ?format=, Accept with q, fallback, 406', async (t) => {
  t.equal(negotiateFormat({ query: 'csv', accept: 'text/html' }, S, 'json'), 'csv');
  t.equal(negotiateFormat({ query: 'pdf' }, S, 'json'), null);
  t.equal(negotiateFormat({}, S, 'json'), 'json');
  t.equal(negotiateFormat({ accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, S, 'json'), 'html');
  t.equal(negotiateFormat({ accept: 'text/csv;q=0.5, application/json' }, S, 'html'), 'json');
  t.equal(negotiateFormat({ accept: '*/*' }, S, 'json'), 'json');
  t.equal(negotiateFormat({ accept: 'text/*' }, ['html', 'md'] as const, 'html'), 'html');
  t.equal(negotiateFormat({ accept: 'image/png' }, S, 'json'), null);
  t.equal(negotiateFormat({ accept: 'text/csv' }, ['html', 'md'] as const, 'html'), null);
});
