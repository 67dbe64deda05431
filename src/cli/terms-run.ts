// The work of `tierbook terms`, apart from commander so it can be tested
// directly. The clock is read here, once, for the default --at.
import { DateTime } from 'luxon';
import { loadPlansDir, type LoadedPlans } from './plan-files.js';
import type { Finding, Plan } from '../plans/types.js';
import { RenderError, renderTerms } from '../render/index.js';
import { cliLine, ERR } from '../errors.js';

export interface TermsArgs {
  format: 'html' | 'md';
  locale?: string;
  at?: string;
  plans: string;
  customer?: string;
}
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

/** Exit status: 0 written, 1 unknown partner/offering or invalid plans, 2 usage error. */
export async function runTerms(partnerId: string, offeringId: string, args: TermsArgs, io: Io): Promise<number> {
  let loaded: LoadedPlans;
  try {
    loaded = await loadPlansDir(args.plans);
  } catch {
    const e = ERR.PLANS_NOT_FOUND({ dir: args.plans });
    io.err(cliLine('terms', e) + '\n');
    return e.exit;
  }
  const plans: Plan[] = [...loaded.plans.values()];
  const errors: Finding[] = loaded.findings.filter((x) => x.severity === 'error');
  const plan = plans.find((p) => p.partner.id === partnerId);
  if (!plan) {
    // A broken plan file may be the partner asked for: say why it could not be read.
    for (const f of errors) io.err(`${f.file}:${f.line}:${f.column}: error: ${f.path}: ${f.message}\n`);
    const declared = plans.map((p) => p.partner.id).sort();
    io.err(`tierbook terms: ${ERR.PLAN_NOT_LOADED.code}: unknown partner "${partnerId}" in ${args.plans} (declared: ${declared.join(', ') || 'none'})\n`);
    return ERR.PLAN_NOT_LOADED.exit;
  }
  const at = args.at ?? DateTime.now().setZone(plan.partner.timezone).toISODate()!;
  try {
    const doc = renderTerms(plan, offeringId, {
      format: args.format,
      locale: args.locale,
      at,
      customer: args.customer ? { id: args.customer } : undefined,
    });
    io.out(doc.body);
    return 0;
  } catch (e) {
    // UNKNOWN_OFFERING exits 1, a bad --format or --at 2 (the registry's exit statuses)
    if (e instanceof RenderError) {
      io.err(cliLine('terms', e) + '\n');
      return e.exit;
    }
    throw e;
  }
}
