// `tierbook token create --partner P --role admin|viewer`: prints the new token
// alone on stdout (only its hash is stored; it cannot be shown again).
// `tierbook token create --operator`: a token of no partner that may only
// reload plans (POST /v1/admin/reload).
import type { Command } from 'commander';
import { SLUG } from '../wire/patterns.js';
import { loadPlanDir, openDb, usage, withDb, withPlans } from './store-options.js';


/** The partner column of an operator token: no partner id can be "*". */
export const OPERATOR_PARTNER = '*';

export function register(program: Command): void {
  const token = program.command('token').description('API tokens');
  withPlans(
    withDb(
      token
        .command('create')
        .description('create an API token for a partner (or an operator token); prints it alone on stdout')
        .option('--partner <id>', 'partner id (a partner a plan of --plans declares)')
        .option('--role <role>', 'admin (read and write) or viewer (read)')
        .option('--operator', 'an operator token: no partner, may only reload plans'),
    ),
  ).action(async (opts: { partner?: string; role?: string; operator?: boolean; db: string; plans: string }) => {
    let partner: string;
    let role: 'admin' | 'viewer' | 'operator';
    if (opts.operator) {
      if (opts.partner !== undefined || opts.role !== undefined) usage('token create', '--operator takes no --partner or --role');
      partner = OPERATOR_PARTNER;
      role = 'operator';
    } else {
      if (opts.partner === undefined || opts.role === undefined) usage('token create', '--partner and --role are required (or --operator)');
      if (!SLUG.test(opts.partner)) usage('token create', `--partner must be a partner id, got "${opts.partner}"`);
      if (opts.role !== 'admin' && opts.role !== 'viewer') usage('token create', `--role must be admin or viewer, got "${opts.role}"`);
      await knownPartner(opts.partner, opts.plans);
      partner = opts.partner;
      role = opts.role;
    }
    const repo = await openDb('token create', opts);
    try {
      process.stdout.write((await repo.createToken(partner, role)) + '\n');
    } finally {
      await repo.close();
    }
  });
}

/** A token for a partner no plan declares would open nothing: refused (a typo, most likely). */
async function knownPartner(partner: string, dir: string): Promise<void> {
  const { plans } = await loadPlanDir('token create', dir);
  if (!plans.has(partner)) {
    usage('token create', `no valid plan in ${dir} declares partner "${partner}" (valid: ${[...plans.keys()].join(', ') || 'none'}; run tierbook check for the others); use --plans DIR`);
  }
}
