// The work of `tierbook subscription …` (kept apart so registering stays light).
import { cliLine, ERR, TierbookError } from '../errors.js';
import { isLocalDate } from '../time/instant.js';
import { SLUG } from '../wire/patterns.js';
import type { PriceOverrideBody } from '../wire/records.js';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { loadPlanDir, openDb, usage } from './store-options.js';
import type { ChangeCliOptions, PriceCliOptions, SubscriptionCliOptions } from './subscription.js';

const COMMAND = 'subscription';

/** A date argument: YYYY-MM-DD, or null for "none" when removing is allowed. */
function dateArg(name: string, value: string, noneAllowed: boolean): string | null {
  if (noneAllowed && value === 'none') return null;
  if (!isLocalDate(value)) usage(COMMAND, `${name} must be a date YYYY-MM-DD${noneAllowed ? ' or none' : ''}, got "${value}"`);
  return value;
}

function slugArg(name: string, value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) usage(COMMAND, `${name} is required`);
    return undefined;
  }
  if (!SLUG.test(value)) usage(COMMAND, `${name} must be an id (lower-case letters, digits, dashes), got "${value}"`);
  return value;
}

/** Runs `work` on the partner's plan and the store; a refusal prints `tierbook subscription: CODE: message` and gives its exit status. */
async function run(opts: SubscriptionCliOptions, work: (repo: Repository, plan: Plan) => Promise<unknown>): Promise<number> {
  const { plans } = await loadPlanDir(COMMAND, opts.plans);
  const partner = slugArg('--partner', opts.partner, false) ?? (plans.size === 1 ? [...plans.keys()][0]! : usage(COMMAND, `--partner is required: ${opts.plans} holds ${plans.size} plans`));
  try {
    const plan = plans.get(partner);
    if (!plan) throw ERR.PLAN_NOT_LOADED({ partner });
    const repo = await openDb(COMMAND, opts);
    try {
      const out = await work(repo, plan);
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return 0;
    } finally {
      await repo.close();
    }
  } catch (err) {
    if (!(err instanceof TierbookError)) throw err;
    const where = err.errors?.length ? ` (${err.errors.map((e) => e.pointer).join(', ')})` : '';
    process.stderr.write(cliLine(COMMAND, err) + where + '\n');
    return err.exit;
  }
}

const found = <T>(id: string, x: T | null): T => {
  if (x === null) throw ERR.NOT_FOUND({ what: `subscription "${id}"` });
  return x;
};

export async function runEnd(id: string, date: string, opts: SubscriptionCliOptions): Promise<number> {
  slugArg('<id>', id, true);
  const end = dateArg('<date>', date, true);
  const { patchSubscription } = await import('../app/subscriptions.js');
  return run(opts, async (repo, plan) => found(id, await patchSubscription(repo, plan, id, { end })));
}

export async function runChange(id: string, opts: ChangeCliOptions): Promise<number> {
  slugArg('<id>', id, true);
  const offering = slugArg('--offering', opts.offering, true)!;
  if (opts.at === undefined) usage(COMMAND, '--at is required');
  const at = dateArg('--at', opts.at, false)!;
  const newId = slugArg('--id', opts.id, false);
  const { changeSubscription } = await import('../app/subscriptions.js');
  return run(opts, async (repo, plan) => found(id, await changeSubscription(repo, plan, id, { offering, at, ...(newId ? { id: newId } : {}) })));
}

/** The override the options describe, or null for --clear (undefined: no component option given). */
function overrideOf(opts: PriceCliOptions): PriceOverrideBody | null | undefined {
  const kinds = (['amount', 'rate', 'tiers', 'clear'] as const).filter((k) => opts[k] !== undefined);
  if (kinds.length > 1) usage(COMMAND, `give one of --amount, --rate, --tiers, --clear (got ${kinds.map((k) => `--${k}`).join(', ')})`);
  if ((opts.minimum !== undefined || opts.maximum !== undefined) && opts.rate === undefined) usage(COMMAND, '--minimum and --maximum go with --rate');
  if (opts.overage !== undefined && opts.amount === undefined) usage(COMMAND, '--overage goes with --amount');
  if (kinds.length === 0) return undefined;
  if (opts.clear) return null;
  if (opts.amount !== undefined) return { amount: opts.amount, ...(opts.overage !== undefined ? { overage: opts.overage } : {}) };
  if (opts.rate !== undefined) return { rate: opts.rate, ...(opts.minimum !== undefined ? { minimum: opts.minimum } : {}), ...(opts.maximum !== undefined ? { maximum: opts.maximum } : {}) };
  let tiers: unknown;
  try {
    tiers = JSON.parse(opts.tiers!);
  } catch {
    usage(COMMAND, '--tiers must be a JSON array like [{"upTo":25,"amount":"11.00"},{"upTo":null,"amount":"8.00"}]');
  }
  return { tiers } as PriceOverrideBody;
}

export async function runPrice(id: string, opts: PriceCliOptions): Promise<number> {
  slugArg('<id>', id, true);
  const component = slugArg('--component', opts.component, false);
  const override = overrideOf(opts);
  const priceAsOf = opts.asOf === undefined ? undefined : dateArg('--as-of', opts.asOf, true);
  if (component !== undefined && override === undefined) usage(COMMAND, '--component needs --amount, --rate, --tiers or --clear');
  if (component === undefined && override !== undefined && !opts.clear) usage(COMMAND, '--amount, --rate and --tiers need --component');
  if (override === undefined && priceAsOf === undefined) usage(COMMAND, 'nothing to change: give --component with a price or --clear, --clear, or --as-of');
  const { changePrice } = await import('../app/subscriptions.js');
  const change = component === undefined ? { clearAll: opts.clear === true, ...(priceAsOf !== undefined ? { priceAsOf } : {}) } : { component, override, ...(priceAsOf !== undefined ? { priceAsOf } : {}) };
  return run(opts, async (repo, plan) => found(id, await changePrice(repo, plan, id, change)));
}
