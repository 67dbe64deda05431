// GET /console: the web console (console/, built by scripts/build-console.mjs
// into dist/console/). Only the files it is built into are served, under a
// strict Content-Security-Policy: its own script and style, nothing inline,
// nothing from elsewhere; it talks to this API only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ERR } from '../../errors.js';

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The files of a built console and their types (nothing else is served). */
export const CONSOLE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** dist/console next to the built server (dist/api/routes/console.js), or from src/ (tsx) the repository's dist/console. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

export const consoleRoutes: FastifyPluginAsync<{ dir?: string }> = async (app, opts) => {
  const dir = opts.dir ?? DEFAULT_CONSOLE_DIR;
  const send = async (reply: FastifyReply, file: string) => {
    const type = CONSOLE_FILES[file];
    if (!type) throw ERR.NOT_FOUND({ what: `console file "${file}"` });
    let body: Buffer;
    try {
      body = await readFile(join(dir, file));
    } catch {
      throw ERR.NOT_FOUND({ what: `console file "${file}" (the console is not built: npm run build)` });
    }
    return reply
      .type(type)
      .header('content-security-policy', CONSOLE_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(body);
  };
  const hide = { schema: { hide: true } };
  app.get('/console', hide, (_req, reply) => send(reply, 'index.html'));
  app.get('/console/', hide, (_req, reply) => send(reply, 'index.html'));
  app.get<{ Params: { file: string } }>('/console/:file', hide, (req, reply) => send(reply, req.params.file));
};
