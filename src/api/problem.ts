// RFC 9457 problem documents: every error the API answers, whatever raised
// it (validation, body parser, auth, handlers, an unexpected bug).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERR, TierbookError, type ErrorCode, type FieldError } from '../errors.js';
import { storeFailure } from '../store/failures.js';
import { ajvToParams } from '../wire/validate.js';

export const PROBLEM_TYPE = 'application/problem+json';

export type InvalidParam = FieldError;

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  /** The registry code (src/errors.ts, docs/errors.md): what clients match on. */
  readonly code: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly InvalidParam[];
  readonly [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

/** One invalid body field, e.g. invalid('/customer', 'unknown customer'). */
export const invalid = (pointer: string, detail: string, where: InvalidParam['in'] = 'body'): InvalidParam => ({ in: where, pointer, detail });

export function problem(code: ErrorCode, status: number, detail: string | undefined, instance: string | undefined, more: Record<string, unknown> = {}): Problem {
  const title = TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Error');
  return { type: 'about:blank', title, status, code, ...(detail ? { detail } : {}), ...(instance ? { instance } : {}), ...more };
}

/** The problem document of a registry error. */
export function problemOf(err: TierbookError, instance: string | undefined): Problem {
  const more: Record<string, unknown> = { ...(err.errors ? { errors: err.errors } : {}), ...(err.index !== undefined ? { index: err.index } : {}), ...err.extra };
  return problem(err.code as ErrorCode, err.status, err.message, instance, more);
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_TYPE).send(JSON.stringify(p));
}

type AjvError = Parameters<typeof ajvToParams>[0][number];

const INVALID_IN = { body: ERR.INVALID_BODY, querystring: ERR.INVALID_QUERY, params: ERR.INVALID_PARAMS, headers: ERR.INVALID_HEADER } as const;

/** fastify's schemaErrorFormatter: keeps the Ajv errors, as fields, for the error handler. */
export function schemaErrorFormatter(errors: readonly AjvError[], dataVar: string): Error {
  const params = ajvToParams(errors, dataVar);
  const make = INVALID_IN[dataVar as keyof typeof INVALID_IN] ?? ERR.INVALID_BODY;
  return make({ detail: `invalid ${dataVar === 'querystring' ? 'query string' : dataVar}: ${params.map((p) => `${p.pointer || '/'} ${p.detail}`).join('; ')}` }, { errors: params });
}

/** The code of an error fastify raised itself (body parser, router, content negotiation). */
function frameworkCode(fe: FastifyError, status: number): ErrorCode {
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.name === 'SyntaxError') return 'INVALID_JSON';
  switch (status) {
    case 404:
      return 'ROUTE_NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 406:
      return 'NOT_ACCEPTABLE';
    case 413:
      return 'BODY_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_ATTEMPTS';
    case 503:
      return 'STORE_UNAVAILABLE';
    default:
      return 'BAD_REQUEST';
  }
}

/** The problem document of an answer fastify made past the error handler (a 414, say). */
export const frameworkProblem = (status: number, detail: string | undefined, instance: string | undefined): Problem =>
  problem(frameworkCode({} as FastifyError, status), status, detail, instance);

/** The one error handler: everything becomes a problem document with a code; only real bugs are 500. */
export function errorHandler(err: FastifyError | TierbookError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const instance = request.url.split('?')[0];
  if (err instanceof TierbookError) {
    // 503s (STORE_BUSY, STORE_UNAVAILABLE) are passing: say when to retry
    if (err.status === 503) reply.header('retry-after', '1');
    return sendProblem(reply, problemOf(err, instance));
  }
  const fe = err as FastifyError;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (fe.validation) {
    const params = ajvToParams(fe.validation as AjvError[], fe.validationContext ?? 'body');
    const make = INVALID_IN[(fe.validationContext ?? 'body') as keyof typeof INVALID_IN] ?? ERR.INVALID_BODY;
    return sendProblem(reply, problemOf(make({ detail: fe.message }, { errors: params }), instance));
  }
  // the store's own failures (a full disk, a read-only file): a clear answer, not a 500
  const store = storeFailure(err);
  if (store) {
    request.log.error({ err }, store.code);
    if (store.status === 503) reply.header('retry-after', '1');
    return sendProblem(reply, problemOf(store, instance));
  }
  if (status >= 500) {
    request.log.error({ err }, 'unexpected error');
    return sendProblem(reply, problemOf(ERR.INTERNAL(), instance));
  }
  // fastify's own client errors: bad JSON, body too large, bad media type, prototype poisoning...
  const code = frameworkCode(fe, status);
  const detail = code === 'BODY_TOO_LARGE' ? ERR.BODY_TOO_LARGE.template : fe.message;
  return sendProblem(reply, problem(code, status, detail, instance));
}
