// Example plans for the rules tests: loaded through the real loader, and
// variants of contoso made by editing its YAML text (so rules are written in
// the plan language, not as compiled data).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import type { SupportRequest } from '../../src/rules/types.js';

export const PLANS_DIR = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
export const CONTOSO_FILE = PLANS_DIR + 'contoso.yaml';
export const contosoSource = (): string => readFileSync(CONTOSO_FILE, 'utf8');

export function planFrom(source: string, file = CONTOSO_FILE): Plan {
  const r = loadPlan(source, file);
  const errors = r.findings.filter((f) => f.severity === 'error');
  if (r.plan === null) throw new Error(`plan does not load:\n${errors.map((f) => `${f.path}: ${f.message}`).join('\n')}`);
  return r.plan;
}

/** contoso with its `rules:` section (the last top-level key) replaced. */
export function contosoWithRules(rulesYaml: string): Plan {
  const src = contosoSource();
  const at = src.search(/^rules:/m);
  if (at < 0) throw new Error('plans/contoso.yaml has no rules section');
  return planFrom(src.slice(0, at) + rulesYaml.trim() + '\n');
}

/** contoso with one exact piece of its text replaced. */
export function contosoEdited(find: string | RegExp, replace: string): Plan {
  const src = contosoSource();
  const out = src.replace(find, replace);
  if (out === src) throw new Error(`plans/contoso.yaml: ${String(find)} not found`);
  return planFrom(out);
}

/** The SPEC §3.1 example request, with overrides. */
export function req(over: Partial<Record<keyof SupportRequest, unknown>> = {}): SupportRequest {
  return {
    partner: 'contoso',
    offering: 'standard',
    customer: 'northwind',
    service: 'azure',
    category: 'technical',
    severity: 'B',
    channel: 'phone',
    receivedAt: '2026-11-24T17:30:00-05:00',
    serviceIncident: false,
    ...over,
  } as SupportRequest;
}
