// The console's only way to the server: the public API, with the bearer
// token. Paths starting with "./" are the partner's (/v1/partners/<partner>/…).
// Problem documents become ApiError with their registry code.
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  constructor(status: number, code: string, message: string, detail?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  patch<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  text(path: string): Promise<string>;
}

/** What GET /v1/me answers. */
export interface Me {
  partner: string | null;
  role: 'admin' | 'viewer' | 'operator';
  locale: string | null;
  timezone: string | null;
  currency: string | null;
  tokenId: string;
  partnerName: Record<string, string> | null;
}

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
}

async function failure(res: Response): Promise<ApiError> {
  let p: Problem = {};
  try {
    p = (await res.json()) as Problem;
  } catch {
    // not JSON: status and status text only
  }
  const message = p.detail ?? p.title ?? (res.statusText || `HTTP ${res.status}`);
  return new ApiError(res.status, p.code ?? `HTTP_${res.status}`, message, p.detail);
}

export function createApi(token: string, partner: string | null): Api {
  const url = (path: string) => (path.startsWith('./') ? `/v1/partners/${encodeURIComponent(partner ?? '')}/${path.slice(2)}` : path);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, accept = 'application/json'): Promise<Response> => {
    const h: Record<string, string> = { authorization: `Bearer ${token}`, accept, ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url(path), { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), cache: 'no-store' });
    } catch (err) {
      throw new ApiError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) throw await failure(res);
    return res;
  };
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  return {
    get: async <T>(path: string) => json<T>(await call('GET', path)),
    post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) => json<T>(await call('POST', path, body, headers)),
    patch: async <T>(path: string, body?: unknown, headers?: Record<string, string>) => json<T>(await call('PATCH', path, body, headers)),
    text: async (path: string) => (await call('GET', path, undefined, {}, 'text/markdown, text/plain;q=0.9, */*;q=0.1')).text(),
  };
}

/** Who a token is (GET /v1/me). */
export const whoAmI = (token: string): Promise<Me> => createApi(token, null).get<Me>('/v1/me');
