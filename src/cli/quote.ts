// `tierbook quote [file]` (SPEC §7, §4.7): a quote document (JSON, file or
// stdin) in, a statement out. Registration stays light: the billing engine,
// the plan loader and the renderer are imported only when the command runs.
import type { Command } from 'commander';
import { cliLine, ERR, isTierbookError } from '../errors.js';

interface QuoteCliOptions {
  plans?: string;
  format: string;
  locale?: string;
  date?: string;
}

const FORMATS = ['json', 'html', 'md', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command): void {
  program
    .command('quote')
    .description('price a quote document (JSON, file or stdin) -> statement on stdout')
    .argument('[file]', 'quote JSON file (default: stdin)')
    .option('--plans <dir>', 'directory of plan files (env TIERBOOK_PLANS, default ./plans)')
    .option('--format <format>', 'json, html, md or csv', 'json')
    .option('--locale <locale>', 'locale of html/md documents (default: the customer\'s, else the partner\'s)')
    .option('--date <YYYY-MM-DD>', 'the quote\'s date on html/md documents; valid for the plan\'s billing.quoteValidDays (default 30) from it (default: today in the partner\'s timezone)')
    .action(async (file: string | undefined, opts: QuoteCliOptions) => {
      process.exitCode = await runQuote(file, opts);
    });
}

/** Resolves to the exit status: 0 ok, 1 the input was wrong, 2 usage. */
export async function runQuote(file: string | undefined, opts: QuoteCliOptions): Promise<number> {
  /** A located error line (`tierbook quote: file:line:col: error: CODE: …`); the code's exit status. */
  const fail = (def: { code: string; exit: number }, where: string, msg: string): number => {
    process.stderr.write(`tierbook quote: ${where}: error: ${def.code}: ${msg}\n`);
    return def.exit;
  };
  try {
    if (!(FORMATS as readonly string[]).includes(opts.format)) throw ERR.USAGE({ detail: `unknown format "${opts.format}" (json, html, md, csv)` });
    if (opts.date !== undefined && !(await import('../time/instant.js')).isLocalDate(opts.date)) throw ERR.USAGE({ detail: `--date must be a date YYYY-MM-DD, got "${opts.date}"` });
    const name = file === undefined || file === '-' ? '<stdin>' : file;
    const { decodeUtf8, locate, parseJson } = await import('./quote-input.js');
    const decoded = decodeUtf8(await readInput(file));
    if (!decoded.ok) return fail(ERR.BODY_NOT_UTF8, `${name}:${decoded.line}:${decoded.column}`, decoded.message);
    const text = decoded.text;
    const parsed = parseJson(text);
    if (!parsed.ok) return fail(ERR.INVALID_JSON, `${name}:${parsed.line}:${parsed.column}`, parsed.message);
    const { parseQuote, quoteStatement } = await import('../billing/quote.js');
    const { BillingError } = await import('../billing/statement.js');
    const q = parseQuote(parsed.value);
    const at = (pointer: string): string => {
      const pos = locate(text, pointer);
      return pos ? `${name}:${pos.line}:${pos.column}` : name;
    };
    if (!q.ok) {
      for (const e of q.errors) fail(ERR.INVALID_QUOTE, at(e.field), `${e.field}: ${e.message}`);
      return ERR.INVALID_QUOTE.exit;
    }
    const plansDir = opts.plans ?? process.env.TIERBOOK_PLANS ?? './plans';
    const plan = await findPlan(plansDir, q.value.partner);
    if (typeof plan === 'string') return fail(ERR.PLAN_NOT_LOADED, at('/partner'), `/partner: ${plan}`);
    let statement;
    try {
      statement = quoteStatement(q.value, plan);
    } catch (e) {
      if (e instanceof BillingError) {
        const field = e.field ? (e.field.startsWith('/') ? e.field : `/${e.field}`) : '';
        return fail(ERR.BILLING_REFUSED, field ? at(field) : name, `${field ? `${field}: ` : ''}${e.message}`);
      }
      // customer prices the plan refuses (§8.2): each problem at its place in the file
      if (isTierbookError(e) && e.errors?.length) {
        for (const f of e.errors) fail(e, at(f.pointer), `${f.pointer}: ${f.detail}`);
        return e.exit;
      }
      throw e;
    }
    process.stdout.write(await render(statement, plan, opts.format as Format, opts.locale, q.value.customer, opts.date));
    return 0;
  } catch (e) {
    if (isTierbookError(e)) {
      process.stderr.write(cliLine('quote', e) + '\n');
      return e.exit;
    }
    throw e;
  }
}

/** The input's bytes: decoded strictly by the caller, so another encoding is an error, not U+FFFD. */
async function readInput(file: string | undefined): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(file);
  } catch {
    throw ERR.NO_SUCH_FILE({ file });
  }
}

type PlanT = import('../plans/types.js').Plan;

/** The partner's plan from the plans directory, or why there is none. */
async function findPlan(dir: string, partner: string): Promise<PlanT | string> {
  const { statSync } = await import('node:fs');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw ERR.PLANS_NOT_FOUND({ dir });
  const { loadPlansDir } = await import('./plan-files.js');
  const plans = [...(await loadPlansDir(dir)).plans.values()];
  const plan = plans.find((p) => p.partner.id === partner);
  if (plan) return plan;
  return `no valid plan for partner "${partner}" in ${dir} (found: ${plans.map((p) => p.partner.id).sort().join(', ') || 'none'}; run \`tierbook check\`)`;
}

/** The quote customer's locale, else the partner's, words the lines (an explicit --locale the document). */
async function render(
  statement: import('../billing/types.js').BilledStatement,
  plan: PlanT,
  format: Format,
  locale: string | undefined,
  customer: import('../billing/types.js').CustomerInput,
  date: string | undefined,
): Promise<string> {
  if (format === 'json') {
    // the light describer only: JSON needs no templates
    const { describeStatement } = await import('../render/lines.js');
    return JSON.stringify(describeStatement(statement, plan, { customerLocale: customer.locale }), null, 2) + '\n';
  }
  let mod: typeof import('../render/index.js');
  try {
    mod = await import('../render/index.js');
  } catch (e) {
    throw new Error(`--format ${format} needs the document renderer (src/render), which could not be loaded: ${(e as Error).message}`);
  }
  const ref = { id: customer.id, ...(customer.name ? { name: customer.name } : {}), ...(customer.locale ? { locale: customer.locale } : {}) };
  // a quote is dated: given, else today in the partner's timezone (never the machine's)
  const { DateTime } = await import('luxon');
  const quote = { date: date ?? DateTime.now().setZone(plan.partner.timezone).toISODate()! };
  return mod.renderStatement(statement, { plan, format, ...(locale ? { locale } : {}), customer: ref, quote }).body;
}
