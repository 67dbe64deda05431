// loadPlan: plan file text -> findings and, when there is no error, the
// compiled Plan. Pure: no file system, no clock; never throws.
import { createHash } from 'node:crypto';
import type { Finding, LoadResult } from './types.js';
import type { PlanFile } from './schema.js';
import { parseTree, type ParseOptions } from './yaml-tree.js';
import { validatePlanData } from './validate.js';
import { Ctx } from './context.js';
import { compilePlan } from './compile.js';

export function planHash(source: string): string {
  return 'sha256:' + createHash('sha256').update(source, 'utf8').digest('hex');
}

/** The text each loaded plan was compiled from (its planHash is of these bytes): finalize stores it as the plan version (§9.5). */
const SOURCES = new WeakMap<object, string>();

/** The file text a plan was loaded from, or undefined for a plan built another way (tests' hand-built plans). */
export function planSource(plan: object): string | undefined {
  return SOURCES.get(plan);
}

export function loadPlan(source: string, file: string): LoadResult {
  return loadPlanWith(source, file, {});
}

export interface LoadOptions extends ParseOptions {
  /**
   * false: the plan's hash is left empty (`tierbook check` keeps only the
   * findings; hashing every file was a few per cent of its time).
   */
  readonly hash?: boolean;
}

/** loadPlan with options (tests compare the fast reader with the yaml path). */
export function loadPlanWith(source: string, file: string, opts: LoadOptions): LoadResult {
  try {
    const tree = parseTree(source, file, opts);
    const findings: Finding[] = [...tree.findings];
    if (findings.some((f) => f.severity === 'error')) return done(null, findings);
    if (tree.data === null || tree.data === undefined) {
      findings.push({ file, line: 1, column: 1, path: '(document)', severity: 'error', message: 'the plan file is empty; expected a map with version, partner, services and offerings' });
      return done(null, findings);
    }
    const schemaFindings = validatePlanData(tree, file);
    // semantic checks need well-formed data: report schema errors first
    if (schemaFindings.length > 0) return done(null, [...findings, ...schemaFindings]);
    const ctx = new Ctx(tree, file);
    const plan = compilePlan(ctx, tree.data as PlanFile, opts.hash === false ? '' : planHash(source));
    if (plan) SOURCES.set(plan, source);
    return done(plan, [...findings, ...ctx.findings]);
  } catch (err) {
    // a bug of ours must still come out as a positioned finding, not a crash
    return done(null, [{ file, line: 1, column: 1, path: '(document)', severity: 'error', message: `internal error while loading the plan: ${(err as Error)?.message ?? String(err)}` }]);
  }
}

function done(plan: LoadResult['plan'], findings: Finding[]): LoadResult {
  const sorted = [...findings].sort((a, b) => a.line - b.line || a.column - b.column);
  return Object.freeze({ plan: sorted.some((f) => f.severity === 'error') ? null : plan, findings: Object.freeze(sorted) });
}
