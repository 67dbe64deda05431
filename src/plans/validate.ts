// Schema validation (Ajv, all errors) mapped to positioned, readable findings.
import type { ErrorObject } from 'ajv';
import type { Finding } from './types.js';
// Precompiled from schema.ts by `npm run schema`: loading TypeBox and compiling
// the schema would cost most of `tierbook check`'s time budget.
import validatePlan from './plan-validator.generated.js';
import { displayPath, type Seg } from './path.js';
import type { Tree } from './yaml-tree.js';

interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
const validator = (): ValidateFunction => validatePlan as ValidateFunction;

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false',
  object: 'a map (key: value)', array: 'a list', null: 'nothing',
};

function typeOf(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'number' ? 'the number' : ''} ${String(v)}`.trim();
}

function segsOf(ptr: string, tree: Tree): Seg[] {
  const loc = tree.index.get(ptr);
  if (loc) return [...loc.segs];
  return ptr === '' ? [] : ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/** " (did you mean x?)" when a close allowed word exists. */
export function suggest(word: string, allowed: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const a of allowed) {
    const dd = distance(word.toLowerCase(), a.toLowerCase());
    if (dd < bestD) [best, bestD] = [a, dd];
  }
  return best && bestD <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

export function validatePlanData(tree: Tree, file: string): Finding[] {
  const validate = validator();
  if (validate(tree.data)) return [];
  const errors = pruneUnions(validate.errors ?? []);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const f = toFinding(e, tree, file);
    if (!f) continue;
    const key = `${f.line}:${f.column}:${f.path}:${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/**
 * A failed anyOf yields one error per branch. Keep the errors of a branch that
 * got deeper into the value (the author meant that shape), else one error for
 * the anyOf naming what was expected.
 */
function pruneUnions(errors: ErrorObject[]): ErrorObject[] {
  let list = [...errors];
  const unions = list.filter((e) => e.keyword === 'anyOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const u of unions) {
    if (!list.includes(u)) continue;
    const prefix = u.schemaPath + '/';
    const branch = list.filter((e) => e.schemaPath.startsWith(prefix));
    const deeper = branch.filter((e) => e.instancePath.length > u.instancePath.length);
    if (deeper.length > 0) list = list.filter((e) => e !== u && (!branch.includes(e) || deeper.includes(e)));
    else list = list.filter((e) => !branch.includes(e));
  }
  return list;
}

function toFinding(e: ErrorObject, tree: Tree, file: string): Finding | null {
  const segs = segsOf(e.instancePath, tree);
  const loc = tree.index.get(e.instancePath);
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  let at = { line: loc?.line ?? 1, column: loc?.column ?? 1 };
  let path = segs;
  let message: string;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      path = [...segs, missing];
      if (loc) at = { line: loc.keyLine, column: loc.keyColumn };
      message = `missing required key "${missing}"`;
      break;
    }
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      path = [...segs, key];
      const kl = tree.locate(path);
      if (kl) at = { line: kl.keyLine, column: kl.keyColumn };
      const props = Object.keys((parent?.properties as object | undefined) ?? {});
      const patterns = Object.keys((parent?.patternProperties as object | undefined) ?? {});
      if (props.length === 0 && patterns.length > 0) {
        message = `invalid key "${key}": ${keyHint(patterns[0])}`;
      } else {
        message = `unknown key "${key}"${suggest(key, props)} (allowed: ${props.join(', ')})`;
      }
      break;
    }
    case 'type':
      message = `expected ${String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ')}, got ${typeOf(e.data)}`;
      break;
    case 'anyOf':
      message = `expected ${String(parent?.errorMessage ?? parent?.description ?? 'another kind of value')}, got ${typeOf(e.data)}`;
      break;
    case 'pattern':
    case 'format':
      message = `expected ${String(parent?.errorMessage ?? `format ${String(p.format ?? p.pattern)}`)}, got ${typeOf(e.data)}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(p.allowedValue)}, got ${typeOf(e.data)}`;
      break;
    case 'enum':
      message = `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}, got ${typeOf(e.data)}`;
      break;
    case 'discriminator': {
      const members = ((parent?.oneOf as Array<{ properties?: { model?: { const?: string } } }>) ?? []).map((m) => m.properties?.model?.const ?? '?');
      if (p.error === 'tag' && (e.data as Record<string, unknown> | null)?.model === undefined) {
        path = [...segs, 'model'];
        message = `missing required key "model" (one of: ${members.join(', ')})`;
      } else {
        path = [...segs, 'model'];
        const ml = tree.locate(path);
        if (ml) at = { line: ml.line, column: ml.column };
        const v = String(p.tagValue);
        message = `unknown model "${v}"${suggest(v, members)} (one of: ${members.join(', ')})`;
      }
      break;
    }
    case 'minItems':
      message = Number(p.limit) === 1 ? 'must not be empty' : `needs at least ${String(p.limit)} items`;
      break;
    case 'minProperties':
      message = Number(p.limit) === 1 ? 'must not be empty' : `needs at least ${String(p.limit)} entries`;
      break;
    case 'minLength':
      message = 'must not be empty';
      break;
    case 'uniqueItems': {
      const j = Number(p.j);
      path = [...segs, j];
      const il = tree.locate(path);
      if (il) at = { line: il.line, column: il.column };
      message = `${typeOf((e.data as unknown[])[j])} is listed twice (also at [${String(p.i)}])`;
      break;
    }
    case 'minimum':
    case 'exclusiveMinimum':
      message = `must be ${e.keyword === 'minimum' ? 'at least' : 'more than'} ${String(p.limit)}, got ${typeOf(e.data)}`;
      break;
    case 'oneOf':
    case 'propertyNames':
      return null;
    default:
      message = e.message ?? `invalid (${e.keyword})`;
  }
  return { file, line: at.line, column: at.column, path: displayPath(path), severity: 'error', message };
}

function keyHint(pattern: string): string {
  if (pattern.startsWith('^[a-z0-9]')) return 'ids are 1-63 lowercase letters, digits or "-", starting with a letter or digit';
  if (pattern.startsWith('^[a-z]{2,3}')) return 'expected a locale like en-US or zh-CN';
  if (pattern.includes('mon|tue')) return 'expected a weekday (mon … sun) or a range like mon-fri';
  if (pattern.startsWith('^[A-Za-z0-9]')) return 'severity labels are letters, digits or "-", like A or P1';
  return `keys must match ${pattern}`;
}
