// `tierbook verify <statement-number>` (issue 8, money audit): re-prices an
// issued statement from the stored inputs and the plan at its stored hash
// (the plans directory, else git history) and reports every difference.
// Registration is light; the store and the engine load when the command runs.
import type { Command } from 'commander';
import { SLUG } from '../wire/patterns.js';
import type { Plan } from '../plans/types.js';
import type { IssuedStatementRecord, Repository } from '../store/repository.js';
import type { PlanAt, PlansByHash, Report } from '../app/verify.js';
import { cliLine, ERR, isTierbookError } from '../errors.js';
import { missingDbFile, openDb, withDb, withPlans } from './store-options.js';

/** `<PARTNER>-<YYYYMM>-<seq>`, as the store numbers statements (partner ids may hold hyphens). */
const NUMBER = /^([A-Z0-9][A-Z0-9-]*)-(\d{4})(\d{2})-(\d+)$/;

interface VerifyCliOptions {
  readonly partner?: string;
  readonly all: boolean;
  readonly format: string;
  readonly db: string;
  readonly dbPool?: string;
  readonly plans: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('verify')
    .description('re-price issued statements from the stored inputs and the plan at their hash; report any difference')
    .argument('[number]', 'statement number, e.g. CONTOSO-202610-0001')
    .option('--partner <id>', 'partner of the statement (default: from the number); required with --all')
    .option('--all', 'verify every issued statement of --partner', false)
    .option('--format <format>', 'text | json', 'text');
  withPlans(withDb(cmd)).action(async (number: string | undefined, opts: VerifyCliOptions) => {
    process.exitCode = await runVerify(number, opts, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
  });
}

export interface VerifyIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/** Exit status: 0 every statement verified, 1 a difference (or a plan not found), 2 usage. */
export async function runVerify(number: string | undefined, opts: VerifyCliOptions, io: VerifyIo): Promise<number> {
  try {
    return await run(number, opts, io);
  } catch (e) {
    if (!isTierbookError(e)) throw e;
    io.err(cliLine('verify', e) + '\n');
    return e.exit;
  }
}

async function run(number: string | undefined, opts: VerifyCliOptions, io: VerifyIo): Promise<number> {
  if (opts.format !== 'text' && opts.format !== 'json') throw ERR.USAGE({ detail: `unknown format "${opts.format}" (text or json)` });
  if (opts.partner !== undefined && !SLUG.test(opts.partner)) throw ERR.USAGE({ detail: `--partner must be a partner id, got "${opts.partner}"` });
  let partner = opts.partner;
  if (opts.all) {
    if (number !== undefined) throw ERR.USAGE({ detail: 'give a statement number or --all, not both' });
    if (partner === undefined) throw ERR.USAGE({ detail: '--all needs --partner' });
  } else {
    if (number === undefined) throw ERR.USAGE({ detail: 'missing statement number (or --all --partner ID)' });
    const m = NUMBER.exec(number);
    if (!m) throw ERR.USAGE({ detail: `"${number}" is not a statement number (expected e.g. CONTOSO-202610-0001)` });
    const fromNumber = m[1]!.toLowerCase();
    if (partner !== undefined && partner !== fromNumber) throw ERR.USAGE({ detail: `statement ${number} does not belong to partner "${partner}"` });
    partner = fromNumber;
  }
  const { existsSync } = await import('node:fs');
  // verify only reads: never create an empty store for a mistyped path
  if (missingDbFile(opts.db)) throw ERR.NO_DATABASE({ db: opts.db });
  if (!existsSync(opts.plans)) throw ERR.PLANS_NOT_FOUND({ dir: opts.plans });

  const { issuedRecords, verifyOne } = await import('../app/verify.js');
  const repo = await openDb('verify', opts, false, true); // read-only: a read-only file or mount must verify
  try {
    let records: IssuedStatementRecord[];
    try {
      records = await issuedRecords(repo, partner!, opts.all ? null : number!);
    } catch (e) {
      if (/no such table|not a database|does not exist/.test((e as Error).message)) throw ERR.NOT_A_STORE({ db: opts.db, reason: (e as Error).message });
      throw e;
    }
    if (records.length === 0) {
      if (!opts.all) throw ERR.USAGE({ detail: `no issued statement ${number} in ${opts.db}` });
      io.err(`tierbook verify: no issued statements for partner "${partner}" in ${opts.db}\n`);
      if (opts.format === 'json') io.out('[]\n');
      return 0;
    }
    const plans = new PlanFinder(partner!, opts.plans, repo);
    const reports: Report[] = [];
    for (const rec of records) reports.push(await verifyOne(repo, partner!, rec, plans));
    if (opts.format === 'json') io.out(JSON.stringify(opts.all ? reports : reports[0], null, 2) + '\n');
    else for (const r of reports) io.out(textOf(r));
    if (opts.all) {
      const bad = reports.filter((r) => !r.ok).length;
      io.err(`${reports.length - bad} of ${reports.length} issued statement(s) of ${partner} verified${bad ? `; ${bad} with differences` : ''}\n`);
    }
    return reports.every((r) => r.ok) ? 0 : 1;
  } finally {
    await repo.close();
  }
}

// ---------------------------------------------------------------- plans by hash

/** Finds the partner's plan whose hash is the stored planHash: the plans directory first, then git history. */
class PlanFinder implements PlansByHash {
  private readonly cache = new Map<string, Promise<PlanAt | string>>();
  constructor(
    private readonly partner: string,
    private readonly dir: string,
    private readonly repo: Repository,
  ) {}

  /** The plan at that hash, or why it cannot be found. */
  at(hash: string): Promise<PlanAt | string> {
    let p = this.cache.get(hash);
    if (!p) this.cache.set(hash, (p = this.find(hash)));
    return p;
  }

  /** The plan file as it is now (for the period's timezone when the hashed one is missing). */
  async current(): Promise<Plan | null> {
    const { existsSync, readFileSync } = await import('node:fs');
    const { loadPlan } = await import('../plans/load.js');
    const file = await this.file();
    return existsSync(file) ? loadPlan(readFileSync(file, 'utf8'), file).plan : null;
  }

  private async file(): Promise<string> {
    const { existsSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const yml = resolve(join(this.dir, `${this.partner}.yml`));
    return existsSync(yml) ? yml : resolve(join(this.dir, `${this.partner}.yaml`));
  }

  private async find(hash: string): Promise<PlanAt | string> {
    const { existsSync, readFileSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const { loadPlan, planHash } = await import('../plans/load.js');
    const file = await this.file();
    const load = (source: string, label: string): Plan | string => {
      const r = loadPlan(source, label);
      if (r.plan) return r.plan;
      const f = r.findings.find((x) => x.severity === 'error');
      // it loaded when the statement was issued: the loader has become stricter since
      return `the plan at ${hash} no longer loads (${label}:${f?.line}:${f?.column}: ${f?.message})`;
    };
    // the text stored at finalize (§9.5); the plans directory and git only for statements issued before it was kept
    // a store migrated before plan versions existed has no such table: the old ways then
    const stored = await this.repo.getPlanVersion(this.partner, hash).catch(() => null);
    if (stored !== null) {
      const label = `plan version ${hash}`;
      const plan = load(stored, label);
      return typeof plan === 'string' ? plan : { plan, source: 'store', file: label };
    }
    let now: string | null = null;
    if (existsSync(file)) {
      const source = readFileSync(file, 'utf8');
      now = planHash(source);
      if (now === hash) {
        const plan = load(source, file);
        return typeof plan === 'string' ? plan : { plan, source: 'plans', file };
      }
    }
    const here = now ? `${file} is ${now} now` : `${file} does not exist`;
    const { plansAtRevision, repoRoot, revisionsOf, targetsOf } = await import('./git-plans.js');
    let root: string;
    let rel: string;
    try {
      root = await repoRoot(existsSync(dirname(file)) ? dirname(file) : process.cwd());
      rel = (await targetsOf(root, process.cwd(), [file]))[0]!;
    } catch (e) {
      if (ERR.GIT.is(e)) return `plan ${hash} not found: ${here}, and the plans are not in a git repository (${e.message})`;
      throw e;
    }
    const commits = await revisionsOf(root, rel);
    for (const commit of commits) {
      const [src] = await plansAtRevision(root, commit, [rel]);
      if (!src || planHash(src.source) !== hash) continue;
      const plan = load(src.source, `${commit.slice(0, 12)}:${rel}`);
      return typeof plan === 'string' ? plan : { plan, source: 'git', file: rel, commit };
    }
    return `plan ${hash} not found: ${here}, and none of the ${commits.length} revision(s) of ${rel} in git has that hash`;
  }
}

// ---------------------------------------------------------------- text

const show = (v: unknown): string => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

function textOf(r: Report): string {
  if (r.ok) return `ok ${r.number} (plan ${r.planHash}, inputs ${r.inputs.issued})\n`;
  const out = [`FAILED ${r.number} (customer ${r.customer}, period ${r.period}, issued ${r.issuedAt})`];
  if (!r.plan.found) out.push(`  plan: ${r.plan.error}; the statement was not priced again`);
  else if (r.plan.source === 'git') out.push(`  plan ${r.planHash}: found in git at ${r.plan.commit!.slice(0, 12)}:${r.plan.file}`);
  if (r.inputs.ok) out.push(`  inputs unchanged (${r.inputs.issued})`);
  else {
    out.push(`  inputs changed since issue: issued ${r.inputs.issued}, now ${r.inputs.now ?? '(cannot be read)'}`);
    const sign = { added: '+', removed: '-', changed: '~' } as const;
    for (const c of r.inputs.changes) out.push(`    ${sign[c.change]} ${c.record} ${c.id} ${c.change}: ${c.detail}`);
    if (r.inputs.explained) out.push('    (undoing these gives the issued digest back: they are the whole change)');
    if (r.inputs.note) out.push(`    ${r.inputs.note}`);
  }
  if (r.statement.error) out.push(`  statement ${r.statement.error}`);
  if (r.statement.repriced) {
    if (r.statement.differences.length === 0) out.push('  statement priced again: the same as issued');
    else {
      out.push('  statement priced again differs from the issued one (issued → now):');
      for (const d of r.statement.differences) out.push(`    ${d.path}: ${show(d.before)} → ${show(d.after)}${d.difference ? ` (${d.difference})` : ''}`);
    }
  }
  return out.join('\n') + '\n';
}
