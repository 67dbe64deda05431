// Benchmark: seconds for `tierbook check` on 1,000 generated plan files of 10
// offerings each. Preferably the real CLI (`node bin/tierbook.js check DIR`,
// compiled by `npm run build`, process start included); when the CLI cannot
// run here, the same loader in-process (src/cli/plan-files.ts loadPlansDir,
// else loadPlan per file) — the result's anchor text says which. Anchor, in
// the same run: parsing the same files with the yaml package alone.
//   node --import tsx bench/check.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { loadPlan } from '../src/plans/load.js';
import { planFileText } from './data.js';
import type { BenchResult } from './types.js';
import { isMain, line, nowMs, result, sink } from './util.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Writes the files; returns their total size, so results say what was checked. */
export function writePlanFiles(dir: string, files: number, offerings: number): { bytes: number; lines: number } {
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < files; i++) {
    const partner = `partner-${String(i).padStart(4, '0')}`;
    const text = planFileText(partner, offerings, 100 + i);
    writeFileSync(join(dir, `${partner}.yaml`), text);
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length;
  }
  return { bytes, lines };
}

/** dist/ is stale when any src file is newer than dist/cli/main.js. */
function distFresh(): boolean {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) return false;
  const built = statSync(main).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return newest(join(ROOT, 'src')) <= built;
}

/** Runs the CLI; null when it is not usable (build failed, command missing, crash). */
function viaCli(dir: string): number | null {
  try {
    if (!distFresh()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return null;
  }
  const t0 = nowMs();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tierbook.js'), 'check', dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  const s = (nowMs() - t0) / 1000;
  // warnings only: 0; the generated files have no errors, so 1 or 2 means the CLI did not check them
  if (r.status !== 0) {
    console.warn(`check: the CLI answered ${r.status}: ${(r.stderr || r.stdout).split('\n').slice(0, 3).join(' | ')}; measuring in-process instead`);
    return null;
  }
  return s;
}

async function inProcess(dir: string): Promise<{ seconds: number; how: string }> {
  const t0 = nowMs();
  const mod = existsSync(join(ROOT, 'src', 'cli', 'plan-files.ts'))
    ? ((await import('../src/cli/plan-files.js')) as { loadPlansDir?: (d: string) => Promise<{ findings: unknown[] }> })
    : {};
  if (mod.loadPlansDir) {
    sink.n += (await mod.loadPlansDir(dir)).findings.length;
    return { seconds: (nowMs() - t0) / 1000, how: 'in-process loadPlansDir' };
  }
  for (const f of readdirSync(dir).sort()) sink.n += loadPlan(readFileSync(join(dir, f), 'utf8'), f).findings.length;
  return { seconds: (nowMs() - t0) / 1000, how: 'in-process loadPlan per file' };
}

function yamlOnly(dir: string): number {
  const t0 = nowMs();
  for (const f of readdirSync(dir).sort()) sink.n += parseDocument(readFileSync(join(dir, f), 'utf8')).errors.length;
  return (nowMs() - t0) / 1000;
}

export async function runCheckBench(opts: { files?: number; offerings?: number; forceInProcess?: boolean } = {}): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bench-check-'));
  try {
    const n = opts.files ?? 1000;
    const size = writePlanFiles(dir, n, opts.offerings ?? 10);
    const what = `${n} files, ${(size.bytes / 1e6).toFixed(1)} MB, ${Math.round(size.lines / n)} lines each`;
    const anchorValue = yamlOnly(dir);
    const cli = opts.forceInProcess ? null : viaCli(dir);
    if (cli !== null) return [result('check', cli, 's', `CLI \`node bin/tierbook.js check DIR\` (process start included), ${what}; anchor: yaml parseDocument of the same files`, anchorValue)];
    // the in-process loader only when the CLI could not run: measuring both doubles a slow step
    const inp = await inProcess(dir);
    return [result('check', inp.seconds, 's', `${inp.how}, ${what}; anchor: yaml parseDocument of the same files`, anchorValue)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  for (const r of await runCheckBench()) console.log(line(r));
}
