// Changing a stored customer: PATCH (only the fields given change, null
// removes) and PUT (the body replaces the customer). Both run inside the
// store's write transaction on the stored customer (reviseCustomer), so two
// PATCHes of different fields both hold. A PUT that leaves out a taxRate or
// taxId the customer has is refused (TAX_OMITTED): replacing would otherwise
// drop the tax from every later statement without anyone having asked.
import type { Plan } from '../plans/types.js';
import type { CustomerRecord, Hashed, IdempotencyClaim, Repository } from '../store/repository.js';
import type { CustomerPatchBody, CustomerUpdateBody } from '../wire/records.js';
import { ERR } from '../errors.js';
import { Ingest, bodyHash } from './ingest.js';
import { update } from './audit.js';

/** The body that would create `c` (nulls left out): its hash is the record's, so a POST of it replays. */
function creationBody(c: CustomerRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined)) as Record<string, string>;
}

/** The customer after a PATCH: the stored one with the given fields set (null: removed). */
export function patchedCustomer(current: CustomerRecord, body: CustomerPatchBody): Hashed<CustomerRecord> {
  const record: CustomerRecord = {
    ...current,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.locale !== undefined ? { locale: body.locale } : {}),
    ...(body.taxRate !== undefined ? { taxRate: body.taxRate } : {}),
    ...(body.taxId !== undefined ? { taxId: body.taxId } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
  };
  return { record, bodyHash: bodyHash(creationBody(record)) };
}

/** PATCH /customers/:id: the customer after the change, or null when unknown. */
export function patchCustomer(repo: Repository, plan: Plan, id: string, body: CustomerPatchBody, claim?: IdempotencyClaim<CustomerRecord | null>, by?: string): Promise<CustomerRecord | null> {
  let before: CustomerRecord | undefined; // the stored customer, as the transaction saw it (audit log)
  const revise = (current: CustomerRecord) => patchedCustomer((before = current), body);
  return repo.reviseCustomer(plan.partner.id, id, revise, claim, update(by, 'customer', () => before));
}

/** The customer a PUT makes of `current`; TAX_OMITTED when it would silently drop a taxRate or taxId. */
export function replacedCustomer(repo: Repository, plan: Plan, current: CustomerRecord, body: CustomerUpdateBody): Hashed<CustomerRecord> {
  for (const field of ['taxRate', 'taxId'] as const) {
    const had = current[field];
    if (had != null && body[field] === undefined) {
      throw ERR.TAX_OMITTED({ id: current.id, field, value: had }, { errors: [{ in: 'body', pointer: `/${field}`, detail: `required while the customer has one (null removes it)` }] });
    }
  }
  const full = { ...body, id: current.id };
  return { record: new Ingest(repo, plan).customer(full), bodyHash: bodyHash(full) };
}

/** PUT /customers/:id: the customer as replaced, or null when unknown. */
export function putCustomer(repo: Repository, plan: Plan, id: string, body: CustomerUpdateBody, claim?: IdempotencyClaim<CustomerRecord | null>, by?: string): Promise<CustomerRecord | null> {
  let before: CustomerRecord | undefined;
  const revise = (current: CustomerRecord) => replacedCustomer(repo, plan, (before = current), body);
  return repo.reviseCustomer(plan.partner.id, id, revise, claim, update(by, 'customer', () => before));
}
