// RFC 9457 problem documents: every error the API answers, whatever raised
// it (validation, body parser, auth, handlers, an unexpected bug).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_TYPE = 'application/problem+json';

export interface InvalidParam {
  /** Where the field is: the body, the query string, the path or a header. */
  readonly in: 'body' | 'query' | 'params' | 'headers';
  /** JSON pointer (RFC 6901) to the field within that part of the request. */
  readonly pointer: string;
  readonly detail: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
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
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error a handler throws to answer with a problem document. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly errors?: readonly InvalidParam[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const badRequest = (detail: string, errors?: InvalidParam[]): HttpProblem => new HttpProblem(400, detail, errors);
export const notFound = (detail: string): HttpProblem => new HttpProblem(404, detail);
export const conflict = (detail: string, extra: Record<string, unknown> = {}): HttpProblem => new HttpProblem(409, detail, undefined, extra);

/** One invalid body field, e.g. invalid('/customer', 'unknown customer'). */
export const invalid = (pointer: string, detail: string, where: InvalidParam['in'] = 'body'): InvalidParam => ({ in: where, pointer, detail });

export function problem(status: number, detail: string | undefined, instance: string | undefined, more: Record<string, unknown> = {}): Problem {
  const title = TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Error');
  return { type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(instance ? { instance } : {}), ...more };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_TYPE).send(JSON.stringify(p));
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Ajv errors as RFC 9457 invalid-params with JSON pointers to the offending field. */
export function ajvToParams(errors: readonly AjvError[], context: string): InvalidParam[] {
  const where = (context === 'querystring' ? 'query' : context) as InvalidParam['in'];
  const out: InvalidParam[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let pointer = e.instancePath;
    let detail = e.message ?? 'invalid';
    if (e.keyword === 'required') {
      pointer += '/' + escapePointer(String(e.params.missingProperty));
      detail = 'required';
    } else if (e.keyword === 'additionalProperties') {
      pointer += '/' + escapePointer(String(e.params.additionalProperty));
      detail = 'unknown field';
    }
    const key = `${pointer}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ in: where, pointer, detail });
  }
  return out;
}

/** fastify's schemaErrorFormatter: keeps the Ajv errors for the error handler. */
export function schemaErrorFormatter(errors: readonly AjvError[], dataVar: string): Error {
  const params = ajvToParams(errors, dataVar);
  return new HttpProblem(400, `invalid ${dataVar === 'querystring' ? 'query string' : dataVar}: ${params.map((p) => `${p.pointer || '/'} ${p.detail}`).join('; ')}`, params);
}

/** The one error handler: everything becomes a problem document; only real bugs are 500. */
export function errorHandler(err: FastifyError | HttpProblem | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const instance = request.url.split('?')[0];
  if (err instanceof HttpProblem) {
    return sendProblem(reply, problem(err.status, err.message, instance, { ...(err.errors ? { errors: err.errors } : {}), ...err.extra }));
  }
  const fe = err as FastifyError;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (fe.validation) {
    const params = ajvToParams(fe.validation as AjvError[], fe.validationContext ?? 'body');
    return sendProblem(reply, problem(400, fe.message, instance, { errors: params }));
  }
  if (status >= 500) {
    request.log.error({ err }, 'unexpected error');
    return sendProblem(reply, problem(500, 'an unexpected error occurred; it has been logged', instance));
  }
  // fastify's own client errors: bad JSON, body too large, bad media type, prototype poisoning...
  const detail = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'the request body is larger than the limit' : fe.message;
  return sendProblem(reply, problem(status, detail, instance, fe.code ? { code: fe.code } : {}));
}
