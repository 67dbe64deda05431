// `tierbook evaluate [file]` (SPEC §7): NDJSON requests in, NDJSON decisions
// out, one output line per input line, in order, streaming. Registration is
// light; the engine and the plan loader are imported only when the command runs.
import type { Command } from 'commander';
import { once } from 'node:events';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Plan } from '../plans/types.js';

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
      process.stderr.write(`tierbook evaluate: ${file}: no such file\n`);
      return 2;
    }
  }
  const plans = await loadPlans(plansDir);
  if (plans === null) return 2;
  const [{ evaluate }, { parseRequest }] = await Promise.all([
    import('../rules/evaluate.js'),
    import('../rules/request.js'),
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
  const error = (field: string | null, message: string) => {
    failed = true;
    return JSON.stringify({ error: { line: n, field, message } });
  };

  try {
    for await (const line of rl) {
      n++;
      let text: string;
      if (line.trim() === '') {
        // a blank line stays a blank line, so output line n still answers input line n
        text = '';
      } else {
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch (e) {
          json = undefined;
          text = error(null, `not JSON: ${(e as Error).message}`);
        }
        if (json !== undefined) {
          const parsed = parseRequest(json);
          if (!parsed.ok) {
            text = error(parsed.error.field === '' ? null : parsed.error.field, parsed.error.message);
          } else {
            const req = parsed.value;
            const plan = plans.byPartner.get(req.partner);
            if (plan === undefined) {
              text = plans.broken.has(req.partner)
                ? error('partner', `the plan of partner "${req.partner}" has errors (run \`tierbook check\`)`)
                : error('partner', `unknown partner "${req.partner}"; plans in ${plansDir}: ${[...plans.byPartner.keys()].join(', ') || '(none)'}`);
            } else if (req.offering === undefined) {
              text = error('offering', 'required here: the command line does not know which offerings a customer holds');
            } else {
              text = JSON.stringify(evaluate(plan, req));
            }
          }
        }
      }
      buf += text! + '\n';
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

interface LoadedPlans {
  readonly byPartner: ReadonlyMap<string, Plan>;
  /** Partners whose plan file has errors. */
  readonly broken: ReadonlySet<string>;
}

/**
 * Loads every plan file (`*.yaml`, `*.yml`) of the directory, keyed by
 * partner id; null (after a message on stderr) when it cannot be read at all.
 * Findings of broken plans go to stderr; their partners answer error lines.
 */
async function loadPlans(dir: string): Promise<LoadedPlans | null> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    process.stderr.write(`tierbook evaluate: plans directory ${dir} not found (use --plans DIR or TIERBOOK_PLANS)\n`);
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
