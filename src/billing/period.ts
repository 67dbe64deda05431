// Moved to src/time/period.ts (issue 14: the pricing models below plans need
// it). Kept only for bench/billing-pg.ts; new code imports src/time/period.js.
export * from '../time/period.js';
