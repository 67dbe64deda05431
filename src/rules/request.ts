// The shape check of a support request (SPEC §3.1): anything that is not a
// request is an input error naming the field, never a decision. The shape is
// the wire's RequestLine (src/wire/records.ts), the API's request fields,
// checked through Ajv as the API checks them; instants by src/time.
import { RequestLine } from '../wire/records.js';
import { describe, notAnInstant, validatorOf, wireErrors } from '../wire/validate.js';
import type { InputError, SupportRequest } from './types.js';

export { notAnInstant };

/** The fields of a request line, in the order their problems are reported. */
const FIELDS = Object.keys(RequestLine.properties);

export type ParseResult = { ok: true; value: SupportRequest } | { ok: false; error: InputError };

const hintOf = (field: string): string =>
  (RequestLine.properties as Record<string, { errorMessage?: string }>)[field]?.errorMessage ?? `a ${field}`;

/** The rank of a field's problem: the document itself first, then FIELDS' order, unknown fields last. */
const rank = (field: string): number => (field === '' ? -1 : FIELDS.includes(field) ? FIELDS.indexOf(field) : FIELDS.length);

/**
 * Decisions (docs/evaluation.md): unknown fields are rejected (a typo such as
 * "serviceIncidnet" must not pass silently and change billing); the optional
 * fields `offering`, `customer`, `serviceIncident` may be absent or null;
 * `category` must be one of billing, subscription, technical (the SPEC's
 * closed set); ids must be slugs. The first problem (in field order) is reported.
 */
export function parseRequest(json: unknown): ParseResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, error: { field: '', message: `a request must be a JSON object, got ${describe(json)}` } };
  }
  const validate = validatorOf(RequestLine);
  if (!validate(json)) {
    const first = wireErrors(validate.errors ?? [])
      .map((e) => {
        const field = e.pointer.split('/')[1] ?? '';
        return { field, message: e.message === 'is required' ? `required: ${hintOf(field)}` : e.message };
      })
      .sort((a, b) => rank(a.field) - rank(b.field))[0]!;
    return { ok: false, error: first };
  }
  const o = json;
  // every key always present, so evaluation sees one object shape
  const value: SupportRequest = {
    partner: o.partner,
    offering: o.offering ?? undefined,
    customer: o.customer ?? undefined,
    service: o.service,
    category: o.category,
    severity: o.severity,
    channel: o.channel,
    receivedAt: o.receivedAt,
    serviceIncident: o.serviceIncident ?? undefined,
  };
  return { ok: true, value };
}
