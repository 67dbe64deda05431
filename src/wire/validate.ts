// The one Ajv setup of the wire shapes: options, formats (a real date, a real
// instant through src/time), validators compiled once per schema, and Ajv
// errors turned into fields with JSON pointers (RFC 9457 invalid-params) or
// into human messages (quote documents, CLI request lines).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FieldError } from '../errors.js';
import { parseInstant } from '../time/instant.js';
import { INSTANT_EXAMPLE } from './patterns.js';

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = (formatsModule as unknown as { default: (a: Ajv, formats?: string[]) => Ajv }).default;

/**
 * The Ajv options of every wire validator, the API's included: no coercion,
 * no silent removal, every error reported, and `verbose` so an error carries
 * its value and schema (for messages that quote the value and use the
 * schema's hint).
 */
export const AJV_OPTIONS = { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true, strict: false, verbose: true } as const;

/** A string naming a real instant (not 2026-02-29, not 24:00): the same parser as the rules engine and the store. */
export const isRealInstant = (s: string): boolean => !Number.isNaN(parseInstant(s));

/** The wire formats and the annotation keyword on an Ajv instance (fastify's too: `ajv.plugins`). */
export function wireFormats(ajv: Ajv): Ajv {
  addFormats(ajv, ['date', 'email']);
  ajv.addFormat('instant', { type: 'string', validate: isRealInstant });
  if (!ajv.getKeyword('errorMessage')) ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv;
}

let ajv: Ajv | undefined;
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** The validator of a schema, compiled on first use and kept (compiling at import cost a server start time). */
export function validatorOf<T extends TSchema>(schema: T): ValidateFunction<Static<T>> {
  let v = compiled.get(schema);
  if (!v) {
    ajv ??= wireFormats(new Ajv(AJV_OPTIONS));
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v as ValidateFunction<Static<T>>;
}

/** A date and time without an offset: the one mistake of an instant common enough to name. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** The error of an instant field that is a string but names no instant. */
export const notAnInstant = (text: string): string =>
  LOCAL_DATE_TIME.test(text)
    ? `${describe(text)} needs a time zone offset or Z, e.g. "${INSTANT_EXAMPLE}"`
    : `${describe(text)} is not an instant: write date, time and offset or Z, e.g. "${INSTANT_EXAMPLE}"`;

/** A value as a message shows it, cut short: a 3,000-character value must not become a 3,000-character message. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

type AjvError = Pick<ErrorObject, 'instancePath' | 'keyword' | 'params' | 'message'> & { data?: unknown; parentSchema?: unknown };

/**
 * The one human wording of what is wrong with a value (API problem fields,
 * imports, CLI request lines, quote documents): the schema's `errorMessage`
 * hint, the allowed values, never a regular expression. `required` and
 * unknown fields are worded by the callers.
 */
export function valueMessage(e: AjvError): string {
  const parent = e.parentSchema as { errorMessage?: string; format?: string } | undefined;
  const hint = parent?.errorMessage;
  const isInstant = parent?.format === 'instant';
  switch (e.keyword) {
    case 'type': {
      if (typeof e.data === 'number' && hint && /decimal/.test(hint)) return `must be a decimal string, not a number, e.g. "12.50" (money is never a float)`;
      if (typeof e.data === 'number' && hint && /percentage/.test(hint)) return `must be a percentage string, not a number, e.g. "8.25%"`;
      if (typeof e.data === 'number' && isInstant) return `must be a string such as "${INSTANT_EXAMPLE}", not a number`;
      return `must be ${hint ?? (e.params.type === 'object' ? 'an object' : e.params.type === 'array' ? 'an array' : `a ${String(e.params.type)}`)}`;
    }
    case 'pattern':
    case 'format':
      if (isInstant && typeof e.data === 'string') return notAnInstant(e.data);
      return hint ? `must be ${hint}, got ${describe(e.data)}` : `is not in the expected form, got ${describe(e.data)}`;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [];
      return hint ? `must be ${hint}, got ${describe(e.data)}` : `must be one of ${allowed.map((v) => String(v)).join(', ')}, got ${describe(e.data)}`;
    }
    case 'minLength':
    case 'maxLength':
      return hint ? `must be ${hint}, got ${describe(e.data)}` : `${e.message ?? 'is invalid'}, got ${describe(e.data)}`;
    default:
      return hint ? `must be ${hint}` : e.message ?? 'is invalid';
  }
}

/** Ajv errors as invalid fields with JSON pointers to the offending field (the API's problem documents). */
export function ajvToParams(errors: readonly AjvError[], context: string): FieldError[] {
  const where = (context === 'querystring' ? 'query' : context) as FieldError['in'];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let pointer = e.instancePath;
    let detail: string;
    if (e.keyword === 'required') {
      pointer += '/' + escapePointer(String(e.params.missingProperty));
      detail = 'required';
    } else if (e.keyword === 'additionalProperties') {
      pointer += '/' + escapePointer(String(e.params.additionalProperty));
      detail = 'unknown field';
    } else if (e.keyword === 'type' && e.params.type === 'null') {
      continue; // the null branch of a nullable field: its other branch says what is wrong
    } else if (e.keyword === 'anyOf' && errors.some((o) => o !== e && o.instancePath === e.instancePath)) {
      continue; // "must match a schema in anyOf" adds nothing to its branches' errors
    } else {
      detail = valueMessage(e);
    }
    const key = `${pointer}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ in: where, pointer, detail });
  }
  return out;
}

export interface WireError {
  /** JSON pointer of the field ('' for the document itself). */
  readonly pointer: string;
  readonly message: string;
}

/**
 * Ajv errors as one human message per field, in the words of a schema's
 * `errorMessage` hint ("must be a local date YYYY-MM-DD, got "2026-13-01"").
 * A nullable field's "or null" branch and anyOf summaries are folded into the
 * field's first real error.
 */
export function wireErrors(errors: readonly ErrorObject[]): WireError[] {
  const out: WireError[] = [];
  const seen = new Set<string>();
  const push = (pointer: string, message: string): void => {
    if (seen.has(pointer)) return;
    seen.add(pointer);
    out.push({ pointer, message });
  };
  const anyOf: ErrorObject[] = [];
  for (const e of errors) {
    switch (e.keyword) {
      case 'required':
        if (e.schemaPath.includes('/anyOf/')) break; // a branch of "this or that": the anyOf says it
        push(`${e.instancePath}/${escapePointer(String(e.params.missingProperty))}`, 'is required');
        break;
      case 'additionalProperties':
        push(`${e.instancePath}/${escapePointer(String(e.params.additionalProperty))}`, `unknown field ${describe(String(e.params.additionalProperty))}`);
        break;
      case 'anyOf':
        anyOf.push(e);
        break;
      case 'type':
        if (e.params.type === 'null') break; // the null branch of a nullable field
        push(e.instancePath, valueMessage(e));
        break;
      default:
        push(e.instancePath, valueMessage(e));
    }
  }
  // an anyOf with no error of its own branches reported: say which fields are needed
  for (const e of anyOf) {
    const branches = ((e.schema as Array<{ required?: string[] }> | undefined) ?? []).map((b) => b.required?.join(' and ')).filter(Boolean);
    if (!out.some((o) => o.pointer.startsWith(e.instancePath) && o.pointer !== e.instancePath)) push(e.instancePath, branches.length ? `needs ${branches.join(', or ')}` : e.message ?? 'is invalid');
  }
  return out;
}
