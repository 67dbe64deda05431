// Customer prices (SPEC §8.2) shared by several models: the one-amount
// override of flat, per-unit, per-incident and hourly. Each model names its
// own override in its ModelDef (`override`); this is only the common piece.
import type { CompileKit, ComponentBase, ModelOverride } from './types.js';
import type { Dec } from '../decimal.js';

/**
 * `{ amount }` replaces the version's amount, checked with the limit the plan
 * file has for that amount: the currency's decimals (`whole`: a fee) or a
 * unit price's (`unit`: per unit, per hour).
 */
export function amountOverride<C extends ComponentBase & { readonly amount: Dec }>(limit: 'whole' | 'unit'): ModelOverride<C> {
  return {
    required: ['amount'],
    optional: [],
    apply(_c: C, o, k: CompileKit) {
      const amount =
        limit === 'whole' ? k.ctx.money([...k.segs, 'amount'], o.amount, k.exponent, k.whole) : k.ctx.money([...k.segs, 'amount'], o.amount, k.unitDecimals, k.unit);
      return amount ? { amount } : null;
    },
  };
}
