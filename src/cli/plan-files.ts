// Reading plan files from disk (the loader itself is pure).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadPlan } from '../plans/load.js';
import type { Finding, Plan } from '../plans/types.js';

export interface LoadedPlans {
  readonly plans: Map<string, Plan>;
  readonly findings: Finding[];
  readonly files: string[];
}

const isYaml = (name: string) => /\.ya?ml$/i.test(name);

/** Every *.yaml in `dir`, keyed by partner id. */
export async function loadPlansDir(dir: string): Promise<LoadedPlans> {
  const names = (await readdir(dir)).filter(isYaml).sort();
  return loadFiles(names.map((n) => join(dir, n)));
}

/** Files and directories as given to `tierbook check`. A missing path throws (a usage error). */
export async function loadPlanPaths(paths: readonly string[]): Promise<LoadedPlans> {
  const files: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) files.push(...(await readdir(p)).filter(isYaml).sort().map((n) => join(p, n)));
    else files.push(p);
  }
  return loadFiles(files);
}

async function loadFiles(files: string[]): Promise<LoadedPlans> {
  const plans = new Map<string, Plan>();
  const findings: Finding[] = [];
  const owner = new Map<string, string>();
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    const result = loadPlan(source, file);
    findings.push(...result.findings);
    const plan = result.plan;
    if (!plan) continue;
    const id = plan.partner.id;
    const stem = basename(file).replace(/\.ya?ml$/i, '');
    const at = idPosition(source);
    if (stem !== id) {
      findings.push({ file, ...at, path: 'partner.id', severity: 'error', message: `the file ${basename(file)} declares partner "${id}"; name it ${id}.yaml or change partner.id to "${stem}"` });
      continue;
    }
    const prev = owner.get(id);
    if (prev !== undefined) {
      findings.push({ file, ...at, path: 'partner.id', severity: 'error', message: `partner "${id}" is already declared by ${prev}` });
      continue;
    }
    owner.set(id, file);
    plans.set(id, plan);
  }
  return { plans, findings, files };
}

/** Line and column of partner.id, found in the text (the plan holds no positions). */
function idPosition(source: string): { line: number; column: number } {
  const lines = source.split('\n');
  let inPartner = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^partner\s*:/.test(lines[i])) {
      inPartner = true;
      const m = /\bid\s*:/.exec(lines[i]);
      if (m) return { line: i + 1, column: m.index + 1 };
      continue;
    }
    if (inPartner) {
      const m = /^(\s+)id\s*:/.exec(lines[i]);
      if (m) return { line: i + 1, column: m[1].length + 1 };
      if (/^\S/.test(lines[i])) break;
    }
  }
  return { line: 1, column: 1 };
}
