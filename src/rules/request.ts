// The shape check of a support request (SPEC §3.1): anything that is not a
// request is an input error naming the field, never a decision.
import { CATEGORIES } from '../plans/types.js';
import { parseInstant } from '../time/instant.js';
import type { InputError, SupportRequest } from './types.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
// Severity labels are plan-defined (A, B, P1, sev-2 …): any short word.
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

const FIELDS = [
  'partner',
  'offering',
  'customer',
  'service',
  'category',
  'severity',
  'channel',
  'receivedAt',
  'serviceIncident',
] as const;
const KNOWN = new Set<string>(FIELDS);

export type ParseResult = { ok: true; value: SupportRequest } | { ok: false; error: InputError };

function fail(field: string, message: string): ParseResult {
  return { ok: false, error: { field, message } };
}

/** The error of a receivedAt (or any instant field) that is a string but names no instant. */
export const notAnInstant = (text: string): string =>
  `${describe(text)} is not an instant: write date, time and offset or Z, e.g. "2026-11-24T09:15:00-05:00"`;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/**
 * Decisions (docs/evaluation.md): unknown fields are rejected (a typo such as
 * "serviceIncidnet" must not pass silently and change billing); the optional
 * fields `offering`, `customer`, `serviceIncident` may be absent or null;
 * `category` must be one of billing, subscription, technical (the SPEC's
 * closed set); ids must be slugs. The first problem found is reported.
 */
export function parseRequest(json: unknown): ParseResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('', `a request must be a JSON object, got ${describe(json)}`);
  }
  const o = json as Record<string, unknown>;

  const slug = (field: string, required: boolean): ParseResult | string | undefined => {
    const v = o[field];
    if (v === undefined || (v === null && !required)) {
      return required ? fail(field, `required: a ${field} id`) : undefined;
    }
    if (typeof v !== 'string') return fail(field, `must be a string id, got ${describe(v)}`);
    if (!SLUG.test(v)) return fail(field, `${describe(v)} is not an id (lowercase letters, digits and "-", up to 63)`);
    return v;
  };

  const partner = slug('partner', true);
  if (typeof partner !== 'string') return partner as ParseResult;
  const offering = slug('offering', false);
  if (typeof offering === 'object') return offering;
  const customer = slug('customer', false);
  if (typeof customer === 'object') return customer;
  const service = slug('service', true);
  if (typeof service !== 'string') return service as ParseResult;

  const category = o.category;
  if (category === undefined) return fail('category', `required: one of ${CATEGORIES.join(', ')}`);
  if (typeof category !== 'string' || !(CATEGORIES as readonly string[]).includes(category)) {
    return fail('category', `must be one of ${CATEGORIES.join(', ')}, got ${describe(category)}`);
  }

  const severity = o.severity;
  if (severity === undefined) return fail('severity', 'required: a severity label such as "B"');
  if (typeof severity !== 'string' || !LABEL.test(severity)) {
    return fail('severity', `must be a severity label such as "B", got ${describe(severity)}`);
  }

  const channel = slug('channel', true);
  if (typeof channel !== 'string') return channel as ParseResult;

  const receivedAt = o.receivedAt;
  if (receivedAt === undefined) return fail('receivedAt', 'required: an ISO 8601 instant such as "2026-11-24T09:15:00-05:00"');
  if (typeof receivedAt !== 'string') {
    return fail('receivedAt', `must be an ISO 8601 instant such as "2026-11-24T09:15:00-05:00", got ${describe(receivedAt)}`);
  }
  if (Number.isNaN(parseInstant(receivedAt))) {
    return fail('receivedAt', notAnInstant(receivedAt));
  }

  const si = o.serviceIncident;
  if (si !== undefined && si !== null && typeof si !== 'boolean') {
    return fail('serviceIncident', `must be true or false, got ${describe(si)}`);
  }

  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) return fail(k, `unknown field (known: ${FIELDS.join(', ')})`);
  }

  // every key always present, so evaluation sees one object shape
  const value: SupportRequest = {
    partner,
    offering: offering as string | undefined,
    customer: customer as string | undefined,
    service,
    category,
    severity,
    channel,
    receivedAt,
    serviceIncident: si === null ? undefined : (si as boolean | undefined),
  };
  return { ok: true, value };
}
