// The OpenAPI document a client generator can use: valid (swagger-parser),
// every route of the app in it with an operationId, tags, its real success
// status and schema, problem documents for errors, request examples that
// the route's own schema accepts, no internal references, the product's name
// and version; and a TypeScript client generated from it (openapi-typescript)
// type checks with a small usage.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { routesOf } from '../../src/api/openapi.js';
import { validatorOf } from '../../src/wire/validate.js';
import { startServer, type Server } from './helpers.js';

let s: Server;
let doc: any;
t.before(async () => {
  s = await startServer();
  doc = (await s.call('GET', '/openapi.json', { token: null })).json;
});
t.teardown(() => s.close());

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const operations = (): Array<{ path: string; method: string; op: any }> =>
  Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] })));

t.test('the document is valid OpenAPI and names the product', async (t) => {
  const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  t.equal(doc.openapi, '3.1.0');
  t.equal(doc.info.title, 'tierbook API');
  t.equal(doc.info.version, version);
  const api = await SwaggerParser.validate(structuredClone(doc));
  t.ok(api.paths, 'swagger-parser validates it');
  t.notOk(/SPEC|§/.test(JSON.stringify(doc)), 'no internal references');
});

t.test('every route of the app is in the document', async (t) => {
  const routes = routesOf(s.app).filter((r) => !r.hidden && r.method !== 'HEAD' && r.method !== 'OPTIONS');
  t.ok(routes.length >= 45, `${routes.length} routes`);
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    t.ok(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`);
  }
  t.equal(operations().length, routes.length, 'and nothing else');
});

t.test('every operation: an operationId, tags, a success with a schema, problem documents', async (t) => {
  const ids = new Set<string>();
  for (const { path, method, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    t.match(op.operationId, /^[a-z]+[A-Za-z0-9]*$/, where);
    t.notOk(ids.has(op.operationId), `${where}: unique operationId`);
    ids.add(op.operationId);
    t.ok(op.tags?.length, `${where}: tags`);
    const success = Object.keys(op.responses).filter((c) => c.startsWith('2'));
    t.ok(success.length > 0, `${where}: a success`);
    for (const c of success) t.ok(Object.values(op.responses[c].content ?? {}).every((m: any) => m.schema), `${where} ${c}: a schema`);
    t.same(Object.keys(op.responses[400].content), ['application/problem+json'], `${where}: 400 is a problem document`);
    t.ok(op.responses[400].content['application/problem+json'].schema.properties.code, `${where}: with its code`);
    if (path.startsWith('/v1/partners/')) t.ok(op.responses[401] && op.responses[404], `${where}: 401 and 404`);
  }
});

t.test('the real statuses: 201 where a route creates', async (t) => {
  const status = (method: string, path: string): string[] => Object.keys(doc.paths[`/v1/partners/{partner}${path}`][method].responses).filter((c) => c.startsWith('2'));
  for (const path of ['/customers', '/subscriptions', '/requests', '/worklogs', '/spend', '/purchases', '/adjustments', '/subscriptions/{id}/quantities', '/subscriptions/{id}/change', '/requests/{id}/events', '/documents/{number}/credit-notes']) {
    t.same(status('post', path), ['201'], `POST ${path}`);
  }
  t.same(status('post', '/statements/{customer}/{period}/finalize'), ['200', '201']);
  t.same(status('post', '/batch/{kind}'), ['200']);
  t.same(status('post', '/evaluate'), ['200']);
  t.same(status('get', '/customers/{id}'), ['200']);
  // and the server agrees
  const created = await s.call('POST', '/customers', { body: { id: 'wingtip', name: 'Wingtip Toys' } });
  t.equal(created.status, 201);
});

t.test('request examples are accepted by the route they document', async (t) => {
  let n = 0;
  for (const { path, method, op } of operations()) {
    const media = op.requestBody?.content?.['application/json'];
    if (!media?.example) continue;
    n++;
    const schema = structuredClone(media.schema);
    t.ok(validatorOf(schema)(media.example), `${method.toUpperCase()} ${path}: ${JSON.stringify(media.example)}`);
  }
  t.ok(n >= 12, `${n} examples`);
});

t.test('a TypeScript client generated from the document compiles', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-openapi-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'api.ts'), astToString(await openapiTS(structuredClone(doc))));
  writeFileSync(
    join(dir, 'use.ts'),
    `import type { paths } from './api';
type Requests = paths['/v1/partners/{partner}/requests']['post'];
type Body = Requests['requestBody'] extends { content: { 'application/json': infer B } } | undefined ? B : never;
const body: Body = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };
// @ts-expect-error: the category is a closed list
const wrong: Body = { ...body, category: 'sales' };
type Created = Requests['responses']['201']['content']['application/json'];
export const id = (c: Created): string => c.id;
type Problem = Requests['responses']['400']['content']['application/problem+json'];
export const code = (p: Problem): string => p.code;
type Batch = paths['/v1/partners/{partner}/batch/{kind}']['post']['responses']['200']['content']['application/json'];
export const reasons = (b: Batch): readonly string[] | undefined => b.results[0]?.reasons;
export { body, wrong };
`,
  );
  const program = ts.createProgram([join(dir, 'use.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es5.d.ts'],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  t.same(diagnostics, [], 'no type errors');
});

// The documented success schemas describe what the routes really answer: real
// answers of a seeded server validated against them (JSON Schema 2020-12, as OpenAPI 3.1).
t.test('real answers match their documented success schemas', async (t) => {
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new (Ajv2020 as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } })({ strict: false, validateFormats: false });
  const check = async (method: string, path: string, template: string, status: number, body?: unknown): Promise<void> => {
    const a = await s.call(method, path, body === undefined ? {} : { body });
    t.equal(a.status, status, `${method} ${path}: ${a.text.slice(0, 200)}`);
    const schema = doc.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)]?.content?.['application/json']?.schema;
    t.ok(schema, `${method} ${template} ${status}: documented`);
    const validate = ajv.compile(schema);
    t.ok(validate(a.json), `${method} ${template} ${status}: the answer fits its schema ${JSON.stringify(validate.errors ?? null)}`);
  };
  const P = '/v1/partners/{partner}';
  await check('POST', '/customers', `${P}/customers`, 201, { id: 'oa-cust', name: 'OpenAPI Ltd', taxRate: '8%' });
  await check('PATCH', '/customers/oa-cust', `${P}/customers/{id}`, 200, { taxId: 'US00-1' });
  await check('POST', '/subscriptions', `${P}/subscriptions`, 201, { id: 'oa-sub', customer: 'oa-cust', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 3, from: '2026-10-01' }] });
  await check('PATCH', '/subscriptions/oa-sub', `${P}/subscriptions/{id}`, 200, { discount: '5%' });
  await check('POST', '/requests', `${P}/requests`, 201, { id: 'oa-r1', customer: 'oa-cust', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' });
  await check('GET', '/requests/oa-r1', `${P}/requests/{id}`, 200);
  await check('POST', '/worklogs', `${P}/worklogs`, 201, { id: 'oa-w1', request: 'oa-r1', start: '2026-10-14T10:30:00-04:00', minutes: 30 });
  await check('POST', '/spend', `${P}/spend`, 201, { id: 'oa-sp', customer: 'oa-cust', period: '2026-10', service: 'azure', amount: '100.00' });
  await check('GET', '/statements/oa-cust/2026-10', `${P}/statements/{customer}/{period}`, 200);
  await check('POST', '/statements/oa-cust/2026-10/finalize', `${P}/statements/{customer}/{period}/finalize`, 201);
  await check('GET', '/statements/oa-cust/2026-10/issued', `${P}/statements/{customer}/{period}/issued`, 200);
  await check('POST', '/adjustments', `${P}/adjustments`, 201, { id: 'oa-adj', customer: 'oa-cust', period: '2026-11', description: 'Goodwill', amount: '-5.00' });
  await check('POST', '/worklogs', `${P}/worklogs`, 201, { id: 'oa-w2', offering: 'standard', customer: 'oa-cust', start: '2026-11-03T10:00:00-05:00', minutes: 15 });
  await check('DELETE', '/worklogs/oa-w2', `${P}/worklogs/{id}`, 200);
});
