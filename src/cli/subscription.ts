// `tierbook subscription end|change|price`: a subscription over time from the
// command line (§8.1), through the same use cases as PATCH
// /subscriptions/:id and POST /subscriptions/:id/change (src/app/subscriptions.ts).
// Each prints the subscription(s) as JSON; refusals print their code and exit 1.
import type { Command } from 'commander';
import { withDb, withPlans } from './store-options.js';

export interface SubscriptionCliOptions {
  readonly db: string;
  readonly dbPool?: string;
  readonly plans: string;
  readonly partner?: string;
}

export interface PriceCliOptions extends SubscriptionCliOptions {
  readonly component?: string;
  readonly amount?: string;
  readonly rate?: string;
  readonly minimum?: string;
  readonly maximum?: string;
  readonly tiers?: string;
  readonly overage?: string;
  readonly clear?: boolean;
  readonly asOf?: string;
}

export interface ChangeCliOptions extends SubscriptionCliOptions {
  readonly offering?: string;
  readonly at?: string;
  readonly id?: string;
}

const partnerOption = ['--partner <id>', 'partner of the subscription (default: the only plan in --plans)'] as const;

export function register(program: Command): void {
  const sub = program.command('subscription').description("change a subscription over time: end it, move it to another offering, set the customer's prices");
  const end = sub
    .command('end')
    .description('end a subscription on a date (active through it); "none" removes the end')
    .argument('<id>', 'subscription id')
    .argument('<date>', 'last active day, YYYY-MM-DD, or none')
    .option(...partnerOption);
  withPlans(withDb(end)).action(async (id: string, date: string, opts: SubscriptionCliOptions) => {
    const { runEnd } = await import('./subscription-run.js');
    process.exitCode = await runEnd(id, date, opts);
  });
  const change = sub
    .command('change')
    .description('move a subscription to another offering from a date: it ends the day before, a new one starts that day with the same discount, end and quantities')
    .argument('<id>', 'subscription id')
    .option('--offering <id>', 'the new offering (required)')
    .option('--at <date>', 'first day of the new offering, YYYY-MM-DD (required)')
    .option('--id <id>', 'id of the new subscription (default: <id>-<YYYYMMDD of --at>)')
    .option(...partnerOption);
  withPlans(withDb(change)).action(async (id: string, opts: ChangeCliOptions) => {
    const { runChange } = await import('./subscription-run.js');
    process.exitCode = await runChange(id, opts);
  });
  const price = sub
    .command('price')
    .description("set or clear the customer's price of one component (--component with --amount, --rate, --tiers or --clear), clear all (--clear alone), and/or the price date (--as-of)")
    .argument('<id>', 'subscription id')
    .option('--component <id>', 'the component of the offering')
    .option('--amount <decimal>', 'flat, per-unit, per-incident, hourly (per hour), block: the amount')
    .option('--rate <percent>', 'percent-of-spend: the rate, e.g. 6%')
    .option('--minimum <decimal>', 'percent-of-spend: with --rate, the minimum')
    .option('--maximum <decimal>', 'percent-of-spend: with --rate, the maximum')
    .option('--tiers <json>', 'graduated, volume: the tiers as JSON, e.g. [{"upTo":25,"amount":"11.00"},{"upTo":null,"amount":"8.00"}]')
    .option('--overage <decimal>', 'block: with --amount, the overage rate')
    .option('--clear', "remove the component's price (with --component) or every price (without)")
    .option('--as-of <date>', 'price as the plan stood on this date (grandfathering), YYYY-MM-DD, or none to remove')
    .option(...partnerOption);
  withPlans(withDb(price)).action(async (id: string, opts: PriceCliOptions) => {
    const { runPrice } = await import('./subscription-run.js');
    process.exitCode = await runPrice(id, opts);
  });
}
