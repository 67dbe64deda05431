// PATCH bodies of the record corrections (issue 22): any fields of the
// record's creation body but its id and customer, each nullable (null
// removes an optional field; the corrected record is then checked as a whole,
// like a new one).
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { RequestBody, SpendBody, WorklogBody } from './records.js';

const FIXED = new Set(['id', 'partner', 'customer']);

/** `s` or null, keeping its own checks (pattern, format, bounds apply to its type only). */
function orNull(s: TSchema): TSchema {
  const { [Symbol.for('TypeBox.Optional') as never]: _optional, ...plain } = s as unknown as Record<string | symbol, unknown>;
  const x = plain as Record<string, unknown>;
  if (Array.isArray(x.enum)) return Type.Unsafe({ ...x, type: [x.type, 'null'], enum: [...(x.enum as unknown[]), null] });
  if (Array.isArray(x.anyOf)) return Type.Unsafe({ ...x, anyOf: [...(x.anyOf as unknown[]).filter((b) => (b as { type?: string }).type !== 'null'), { type: 'null' }] });
  return Type.Unsafe({ ...x, type: [x.type, 'null'] });
}

function patchOf(body: TObject): TObject {
  const props = Object.fromEntries(Object.entries(body.properties).filter(([k]) => !FIXED.has(k)).map(([k, v]) => [k, Type.Optional(orNull(v))]));
  return Type.Object(props, { additionalProperties: false, minProperties: 1 });
}

export const RequestPatchBody = patchOf(RequestBody);
export const WorklogPatchBody = patchOf(Type.Object(WorklogBody.properties));
export const SpendPatchBody = patchOf(SpendBody);
