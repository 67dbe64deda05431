// `tierbook evaluate [file]` (SPEC §7): NDJSON requests in, NDJSON decisions
// out, one output line per input line, in order, streaming. Registration is
// light; the engine and the plan loader are imported only when the command runs.
import type { Command } from 'commander';
import { once } from 'node:events';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Plan } from '../plans/types.js';
import { cliLine, ERR } from '../errors.js';

interface EvaluateCliOptions {
  plans?: string;
}

export function register(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate support requests: NDJSON requests (file or stdin) -> NDJSON decisions on stdout')
    .argument('[file]', 'NDJSON file of requests, one per line (default: stdin)')
    .option('--plans <dir>', 'directory of plan files (env TIERBOOK_PLANS, default ./plans)')
    .action(async (file: string | undefined, opts: EvaluateCliOptions) => {
      process.exitCode = await runEvaluate(file, opts.plans ?? process.env.TIERBOOK_PLANS ?? './plans');
    });
}

const FLUSH_AT = 64 * 1024; // output is written in chunks of about this size

/** Runs the command; resolves to the exit status (0 ok, 1 some line was invalid, 2 usage). */
export async function runEvaluate(file: string | undefined, plansDir: string): Promise<number> {
  if (file !== undefined && file !== '-') {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      // reported below
    }
    if (!isFile) {
      const e = ERR.NO_SUCH_FILE({ file });
      process.stderr.write(cliLine('evaluate', e) + '\n');
      return e.exit;
    }
  }
  const plans = await loadPlans(plansDir);
  if (plans === null) return 2;
  const [{ evaluate }, { parseRequest }, { parseJson }] = await Promise.all([
    import('../rules/evaluate.js'),
    import('../rules/request.js'),
    import('./quote-input.js'),
  ]);

  const input = file === undefined || file === '-' ? process.stdin : createReadStream(file);
  const rl = createInterface({ input, crlfDelay: Infinity });
  const out = process.stdout;
  let broken = false; // the reader went away (EPIPE): stop quietly
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') broken = true;
    else throw err;
  };
  out.on('error', onError);

  let buf = '';
  let failed = false;
  let n = 0;
  const flush = async () => {
    if (buf === '' || broken) return;
    const ok = out.write(buf);
    buf = '';
    // respect backpressure: do not read further while stdout is full
    if (!ok) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  };
  const engine: LineEngine = { plans, plansDir, evaluate, parseRequest, parseJson };

  try {
    for await (const line of rl) {
      n++;
      const answer = answerLine(line, n, engine);
      if (answer.failed) failed = true;
      const text = answer.text;
      buf += text + '\n';
      if (buf.length >= FLUSH_AT) await flush();
      if (broken) break;
    }
    await flush();
  } finally {
    rl.close();
    out.off('error', onError);
  }
  return failed ? 1 : 0;
}

export interface LineEngine {
  readonly plans: LoadedPlans;
  readonly plansDir: string;
  readonly evaluate: typeof import('../rules/evaluate.js').evaluate;
  readonly parseRequest: typeof import('../rules/request.js').parseRequest;
  readonly parseJson: typeof import('./quote-input.js').parseJson;
}

/**
 * The output line answering input line `n` (1-based): a decision, an error
 * object `{ error: { line, column?, field, message } }`, or a blank line for a
 * blank line. Never throws: every input, however broken, gets its answer line.
 */
export function answerLine(raw: string, n: number, e: LineEngine): { text: string; failed: boolean } {
  // `code` is the registry's (src/errors.ts): what a script matches on
  const error = (code: 'INVALID_JSON' | 'INVALID_REQUEST' | 'PLAN_NOT_LOADED', field: string | null, message: string, column?: number) => ({
    text: JSON.stringify({ error: { code, line: n, ...(column !== undefined ? { column } : {}), field, message } }),
    failed: true,
  });
  // a BOM from Windows tools starts the first line; it is not part of the request
  const line = n === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  // a blank line stays a blank line, so output line n still answers input line n
  if (line.trim() === '') return { text: '', failed: false };
  const json = e.parseJson(line);
  if (!json.ok) return error('INVALID_JSON', null, json.message.replace(/^invalid JSON: /, 'not JSON: '), json.column);
  const parsed = e.parseRequest(json.value);
  if (!parsed.ok) return error('INVALID_REQUEST', parsed.error.field === '' ? null : parsed.error.field, parsed.error.message);
  const req = parsed.value;
  const plan = e.plans.byPartner.get(req.partner);
  if (plan === undefined) {
    return e.plans.broken.has(req.partner)
      ? error('PLAN_NOT_LOADED', 'partner', `the plan of partner "${req.partner}" has errors (run \`tierbook check\`)`)
      : error('PLAN_NOT_LOADED', 'partner', `unknown partner "${req.partner}"; plans in ${e.plansDir}: ${[...e.plans.byPartner.keys()].join(', ') || '(none)'}`);
  }
  if (req.offering === undefined) return error('INVALID_REQUEST', 'offering', 'required here: the command line does not know which offerings a customer holds');
  return { text: JSON.stringify(e.evaluate(plan, req)), failed: false };
}

export interface LoadedPlans {
  readonly byPartner: ReadonlyMap<string, Plan>;
  /** Partners whose plan file has errors. */
  readonly broken: ReadonlySet<string>;
}

/**
 * Loads every plan file (`*.yaml`, `*.yml`) of the directory, keyed by
 * partner id; null (after a message on stderr) when it cannot be read at all.
 * Findings of broken plans go to stderr; their partners answer error lines.
 */
export async function loadPlans(dir: string): Promise<LoadedPlans | null> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    process.stderr.write(cliLine('evaluate', ERR.PLANS_NOT_FOUND({ dir })) + '\n');
    return null;
  }
  const { loadPlan } = await import('../plans/load.js');
  const byPartner = new Map<string, Plan>();
  const broken = new Set<string>();
  for (const name of names) {
    const file = join(dir, name);
    const { plan, findings } = loadPlan(readFileSync(file, 'utf8'), file);
    if (plan !== null) {
      byPartner.set(plan.partner.id, plan);
      continue;
    }
    for (const f of findings) {
      if (f.severity === 'error') process.stderr.write(`${f.file}:${f.line}:${f.column}: error: ${f.path}: ${f.message}\n`);
    }
    // the file name is the partner id by convention (plans/<partner-id>.yaml)
    broken.add(basename(name).replace(/\.ya?ml$/, ''));
  }
  return { byPartner, broken };
}
