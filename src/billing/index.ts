// The billing engine's public face (SPEC §4): pure functions, data in, data out.
export { priceStatement, priceStatementDetailed, responseStatus, BillingError } from './statement.js';
export type { Evaluator, PriceOptions, PricedStatement, PricedSubscription } from './statement.js';
export { parseQuote, quoteStatement } from './quote.js';
export type { QuoteError, QuoteResult } from './quote.js';
export { marginReport } from './margin.js';
export type { MarginReport, MarginRow, MarginTotal, MarginCost, MarginSkipped } from './margin.js';
export { MODELS, pricingModel } from '../models/index.js';
export type { ModelDef, ModelContext, ModelLine, ModelName, PricingComponent } from '../models/index.js';
export * from './types.js';
