// The one registry of tierbook's errors, in the style of fastify's
// lib/errors.js: every error the API answers or the CLI prints has a stable
// UPPER_SNAKE code, a message template, an HTTP status and a CLI exit status
// (SPEC §7: 1 when the input was wrong, 2 for a usage error). docs/errors.md
// lists the same codes; test/errors.test.ts keeps the two equal.
//
// Decision reason codes (UNKNOWN_OFFERING, CHANNEL_CLOSED, …) are not errors:
// they stay with the rules engine (src/rules).
//
// Adding a code: one createError line below, one row in docs/errors.md.
// Raising it: `throw ERR.NOT_FOUND({ what: 'customer "acme"' })`; the
// template's {placeholders} are the parameters, checked by the compiler.

/** CLI exit status (SPEC §7): 1 the input was wrong, 2 a usage error. */
export type ExitStatus = 0 | 1 | 2;

/** One invalid field of a request (RFC 9457 invalid-params), with its JSON pointer. */
export interface FieldError {
  /** Where the field is: the body, the query string, the path or a header. */
  readonly in: 'body' | 'query' | 'params' | 'headers';
  /** JSON pointer (RFC 6901) to the field within that part of the request. */
  readonly pointer: string;
  readonly detail: string;
}

/** The placeholder names of a template: 'customer "{id}" in {period}' → 'id' | 'period'. */
export type ParamNames<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
export type ParamsOf<T extends string> = { readonly [K in ParamNames<T>]: string | number };

/** What an error carries besides its message. */
export interface ErrorMore {
  /** Invalid fields (problem documents' `errors`). */
  readonly errors?: readonly FieldError[];
  /** Index of the offending record in a batch. */
  readonly index?: number;
  /** Extra members of the problem document (e.g. `line`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class TierbookError<C extends string = string> extends Error {
  override readonly name: string = 'TierbookError';
  readonly errors?: readonly FieldError[];
  readonly index?: number;
  readonly extra: Readonly<Record<string, unknown>>;
  constructor(
    readonly code: C,
    message: string,
    readonly status: number,
    readonly exit: ExitStatus,
    readonly params: Readonly<Record<string, string | number>>,
    more: ErrorMore = {},
  ) {
    super(message, more.cause === undefined ? undefined : { cause: more.cause });
    if (more.errors) this.errors = more.errors;
    if (more.index !== undefined) this.index = more.index;
    this.extra = more.extra ?? {};
  }
}

/** A registered error: call it with the template's parameters to make the error. */
export interface ErrorDef<C extends string, T extends string> {
  (...args: [ParamNames<T>] extends [never] ? [params?: Record<string, never>, more?: ErrorMore] : [params: ParamsOf<T>, more?: ErrorMore]): TierbookError<C>;
  readonly code: C;
  readonly template: T;
  readonly status: number;
  readonly exit: ExitStatus;
  /** Whether err is this error (narrowed). */
  is(err: unknown): err is TierbookError<C>;
}

const PLACEHOLDER = /\{(\w+)\}/g;

export function format(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function createError<const C extends string, const T extends string>(code: C, template: T, status: number, exit: ExitStatus): ErrorDef<C, T> {
  const make = (params: Record<string, string | number> = {}, more?: ErrorMore): TierbookError<C> =>
    new TierbookError(code, format(template, params), status, exit, params, more);
  return Object.assign(make, {
    code,
    template,
    status,
    exit,
    is: (err: unknown): err is TierbookError<C> => err instanceof TierbookError && err.code === code,
  }) as unknown as ErrorDef<C, T>;
}

// Templates with a lone {detail} are families whose wording varies per case;
// the code is the stable part clients match on.
export const ERR = {
  // -- requests that do not fit the API (HTTP only; exit status 1 if ever printed)
  INVALID_BODY: createError('INVALID_BODY', '{detail}', 400, 1),
  INVALID_QUERY: createError('INVALID_QUERY', '{detail}', 400, 1),
  INVALID_PARAMS: createError('INVALID_PARAMS', '{detail}', 400, 1),
  INVALID_HEADER: createError('INVALID_HEADER', '{detail}', 400, 1),
  INVALID_JSON: createError('INVALID_JSON', '{detail}', 400, 1),
  BODY_NOT_UTF8: createError('BODY_NOT_UTF8', '{detail}', 400, 1),
  JSON_TOO_DEEP: createError('JSON_TOO_DEEP', '{detail}', 400, 1),
  CONTROL_CHARACTER: createError('CONTROL_CHARACTER', '{detail}', 400, 1),
  BODY_TOO_LARGE: createError('BODY_TOO_LARGE', 'the request body is larger than the limit', 413, 1),
  BATCH_TOO_LARGE: createError('BATCH_TOO_LARGE', 'a batch holds at most {max} records', 413, 1),
  UNSUPPORTED_MEDIA_TYPE: createError('UNSUPPORTED_MEDIA_TYPE', '{detail}', 415, 1),
  NOT_ACCEPTABLE: createError('NOT_ACCEPTABLE', '{detail}', 406, 1),
  METHOD_NOT_ALLOWED: createError('METHOD_NOT_ALLOWED', '{detail}', 405, 1),
  ROUTE_NOT_FOUND: createError('ROUTE_NOT_FOUND', 'no route {method} {path}', 404, 1),
  URI_TOO_LONG: createError('URI_TOO_LONG', '{detail}', 414, 1),
  BAD_REQUEST: createError('BAD_REQUEST', '{detail}', 400, 1),

  // -- authentication and authorization
  UNAUTHORIZED: createError('UNAUTHORIZED', '{detail}', 401, 1),
  FORBIDDEN: createError('FORBIDDEN', '{detail}', 403, 1),
  TOO_MANY_ATTEMPTS: createError('TOO_MANY_ATTEMPTS', 'too many failed authentications from this address; retry later', 429, 1),

  // -- resources
  NOT_FOUND: createError('NOT_FOUND', '{what} not found', 404, 1),
  PLAN_NOT_LOADED: createError('PLAN_NOT_LOADED', 'no plan is loaded for partner "{partner}"', 404, 1),
  STATEMENT_NOT_ISSUED: createError('STATEMENT_NOT_ISSUED', 'no statement issued for customer "{customer}" and period {period}', 404, 1),
  UNKNOWN_OFFERING: createError('UNKNOWN_OFFERING', 'unknown offering "{offering}" (declared: {declared})', 404, 1),
  RELOAD_UNAVAILABLE: createError('RELOAD_UNAVAILABLE', 'this server was started without a plans directory', 409, 1),
  PLANS_INVALID: createError('PLANS_INVALID', 'plans not reloaded: {errors} error(s); the previous plans stay in force', 422, 1),

  // -- writes
  IDEMPOTENCY_KEY_REUSED: createError('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key "{key}" was used with another request ({route})', 409, 1),
  RECORD_CONFLICT: createError('RECORD_CONFLICT', '{detail}', 409, 1),
  MISSING_REFERENCE: createError('MISSING_REFERENCE', '{detail}', 400, 1),
  RECORD_IN_USE: createError('RECORD_IN_USE', '{what} is referred to by {by}; correct or delete that first', 409, 1),
  INVALID_RECORD: createError('INVALID_RECORD', '{detail}', 400, 1),
  WORKLOG_OFFERING_NOT_HELD: createError('WORKLOG_OFFERING_NOT_HELD', '{detail}', 400, 1),
  WORKLOG_OFFERING_MISMATCH: createError('WORKLOG_OFFERING_MISMATCH', '{detail}', 400, 1),
  RESPONSE_BEFORE_RECEIPT: createError('RESPONSE_BEFORE_RECEIPT', '{detail}', 400, 1),
  RESPONSE_IN_FUTURE: createError('RESPONSE_IN_FUTURE', '{detail}', 400, 1),
  UNKNOWN_METRIC: createError('UNKNOWN_METRIC', '{detail}', 400, 1),
  UNKNOWN_SERVICE: createError('UNKNOWN_SERVICE', '{detail}', 400, 1),
  EVENT_BEFORE_RECEIPT: createError('EVENT_BEFORE_RECEIPT', '{detail}', 400, 1),
  EVENT_INVALID: createError('EVENT_INVALID', '{detail}', 400, 1),
  EVENT_STATUS_INVALID: createError('EVENT_STATUS_INVALID', '{detail}', 400, 1),
  EVENT_SEVERITY_UNKNOWN: createError('EVENT_SEVERITY_UNKNOWN', '{detail}', 400, 1),
  // purchases of prepaid blocks (§10)
  PURCHASE_SUBSCRIPTION_MISMATCH: createError('PURCHASE_SUBSCRIPTION_MISMATCH', '{detail}', 400, 1),
  PURCHASE_NOT_A_BLOCK: createError('PURCHASE_NOT_A_BLOCK', '{detail}', 400, 1),
  PURCHASE_OUTSIDE_SUBSCRIPTION: createError('PURCHASE_OUTSIDE_SUBSCRIPTION', '{detail}', 400, 1),
  // customer prices (§8.2): `errors` holds every problem with its JSON pointer
  UNKNOWN_COMPONENT: createError('UNKNOWN_COMPONENT', '{detail}', 400, 1),
  PRICE_OVERRIDE_INVALID: createError('PRICE_OVERRIDE_INVALID', '{detail}', 400, 1),
  // subscriptions over time (§8.1)
  END_BEFORE_START: createError('END_BEFORE_START', '{detail}', 400, 1),
  CHANGE_OUT_OF_RANGE: createError('CHANGE_OUT_OF_RANGE', 'subscription "{id}" runs {start} to {end}; a change must be after its start and not after its end, not on {at}', 400, 1),
  SUBSCRIPTION_OVERLAP: createError('SUBSCRIPTION_OVERLAP', 'subscription "{id}" ({start} to {end}) would overlap subscription "{existing}" ({existingStart} to {existingEnd}) of customer "{customer}" to offering "{offering}"', 409, 1),
  // a PUT replaces every field: leaving out a stored taxRate would remove the tax from every statement after
  TAX_OMITTED: createError('TAX_OMITTED', 'customer "{id}" has {field} {value}; a PUT replaces every field, so send "{field}": null to remove it, or change only some fields with PATCH', 400, 1),

  // -- pricing and documents
  BILLING_REFUSED: createError('BILLING_REFUSED', '{detail}', 422, 1),
  // documents of record (§9.7)
  DOCUMENT_NOT_FOUND: createError('DOCUMENT_NOT_FOUND', 'no issued document numbered "{number}"', 404, 1),
  NOT_AN_INVOICE: createError('NOT_AN_INVOICE', '"{number}" is a {kind}; only an invoice can be {action}', 409, 1),
  INVOICE_VOID: createError('INVOICE_VOID', 'invoice "{number}" is void; it cannot be {action}', 409, 1),
  HAS_CREDIT_NOTES: createError('HAS_CREDIT_NOTES', 'invoice "{number}" has credit notes ({notes}); it cannot be voided', 409, 1),
  HAS_CORRECTIONS: createError('HAS_CORRECTIONS', 'invoice "{number}" is corrected by the later invoice(s) {by}; it cannot be voided', 409, 1),
  OVER_CREDIT: createError('OVER_CREDIT', 'line {line} of invoice "{number}" has {left} left to credit; {amount} is more', 409, 1),
  CREDIT_LINE_INVALID: createError('CREDIT_LINE_INVALID', '{detail}', 400, 1),
  // document links (issue 23)
  LINK_PATH_INVALID: createError('LINK_PATH_INVALID', '{detail}', 400, 1),
  LINK_NOT_FOUND: createError('LINK_NOT_FOUND', 'no such link (mistyped, or purged 30 days after it expired)', 404, 1),
  LINK_EXPIRED: createError('LINK_EXPIRED', 'this link expired at {expiresAt}; ask for a new one', 410, 1),
  // month-end (§9.1, §9.4, §9.5)
  PERIOD_ISSUED: createError('PERIOD_ISSUED', 'customer "{customer}" has invoice {number} issued for {period}; put the adjustment on a later period (or void the invoice first)', 409, 1),
  PERIOD_NOT_ENDED: createError('PERIOD_NOT_ENDED', 'period {period} has not ended in {timezone} (it ends {end}); nothing was issued', 409, 1),
  SPEND_MISSING: createError('SPEND_MISSING', 'no cloud spend of {services} is stored for customer "{customer}" and {period} ({offering}, component {component}); nothing was issued (force to issue anyway)', 409, 1),
  PLAN_VERSION_NOT_FOUND: createError('PLAN_VERSION_NOT_FOUND', 'no plan version {hash} is stored for this partner', 404, 1),
  INVALID_DATE: createError('INVALID_DATE', 'invalid date "{value}" (expected YYYY-MM-DD)', 400, 2),
  UNSUPPORTED_FORMAT: createError('UNSUPPORTED_FORMAT', '{detail}', 400, 2),
  INVALID_QUOTE: createError('INVALID_QUOTE', '{detail}', 400, 1),
  INVALID_REQUEST: createError('INVALID_REQUEST', '{detail}', 400, 1),

  // -- command line
  USAGE: createError('USAGE', '{detail}', 400, 2),
  NO_SUCH_FILE: createError('NO_SUCH_FILE', '{file}: no such file', 400, 2),
  PLANS_NOT_FOUND: createError('PLANS_NOT_FOUND', 'plans directory {dir} not found (use --plans DIR or TIERBOOK_PLANS)', 400, 2),
  NO_DATABASE: createError('NO_DATABASE', 'no database at {db} (give --db FILE or TIERBOOK_DB)', 400, 2),
  NOT_A_STORE: createError('NOT_A_STORE', '{db} is not a tierbook store ({reason}; run `tierbook migrate`)', 400, 2),
  COPY_TARGET_NOT_EMPTY: createError('COPY_TARGET_NOT_EMPTY', '{db} already holds rows ({tables}); copy into an empty store, or give --force to empty it first', 409, 1),
  COPY_MISMATCH: createError('COPY_MISMATCH', 'the copy does not match its source: {detail}', 500, 1),
  GIT: createError('GIT', '{detail}', 400, 2),
  INVALID_RECORDS_FILE: createError('INVALID_RECORDS_FILE', '{detail}', 400, 1),
  PORT_IN_USE: createError('PORT_IN_USE', 'cannot listen on {host}:{port}: {reason}', 400, 1),

  // -- Partner Center imports (SPEC §12.2)
  INVALID_RECONCILIATION_FILE: createError('INVALID_RECONCILIATION_FILE', '{detail}', 400, 1),
  RECONCILIATION_LINES_REPORTED: createError('RECONCILIATION_LINES_REPORTED', 'nothing imported: {lines} line(s) were reported and --strict refuses them', 422, 1),

  // -- the server itself
  STORE_BUSY: createError('STORE_BUSY', 'the store is busy (another process holds its write lock; waited {waitedMs} ms); retry later', 503, 1),
  STORE_UNAVAILABLE: createError('STORE_UNAVAILABLE', '{detail}', 503, 1),
  STORE_FULL: createError('STORE_FULL', 'the store is full (no space left on its disk); nothing was written. Free disk space and retry', 507, 1),
  STORE_READ_ONLY: createError('STORE_READ_ONLY', 'the store is read-only (its file, directory or mount does not allow writing); nothing was written', 503, 1),
  INTERNAL: createError('INTERNAL', 'an unexpected error occurred; it has been logged', 500, 1),
} as const;

export type ErrorCode = keyof typeof ERR;

/** Whether err is a registered error, optionally of one of the given codes. */
export function isTierbookError<C extends ErrorCode>(err: unknown, ...codes: C[]): err is TierbookError<C> {
  return err instanceof TierbookError && (codes.length === 0 || (codes as string[]).includes(err.code));
}

/** The line the CLI prints for an error: `tierbook <command>: <CODE>: <message>`. */
export const cliLine = (command: string, err: TierbookError): string => `tierbook ${command}: ${err.code}: ${err.message}`;
