// The work of `tierbook terms`, apart from commander so it can be tested
// directly. The clock is read here, once, for the default --at.
import { DateTime } from 'luxon';
import { loadPlansDir, type LoadedPlans } from './plan-files.js';
import type { Finding, Plan } from '../plans/types.js';
import { RenderError, renderTerms } from '../render/index.js';

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
    io.err(`error: plans directory ${args.plans} not found (use --plans DIR or TIERBOOK_PLANS)\n`);
    return 2;
  }
  const plans: Plan[] = [...loaded.plans.values()];
  const errors: Finding[] = loaded.findings.filter((x) => x.severity === 'error');
  const plan = plans.find((p) => p.partner.id === partnerId);
  if (!plan) {
    // A broken plan file may be the partner asked for: say why it could not be read.
    for (const f of errors) io.err(`${f.file}:${f.line}:${f.column}: error: ${f.path}: ${f.message}\n`);
    const declared = plans.map((p) => p.partner.id).sort();
    io.err(`error: unknown partner "${partnerId}" in ${args.plans} (declared: ${declared.join(', ') || 'none'})\n`);
    return 1;
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
    if (e instanceof RenderError) {
      io.err(`error: ${e.message}\n`);
      return e.code === 'UNKNOWN_OFFERING' ? 1 : 2;
    }
    throw e;
  }
}
