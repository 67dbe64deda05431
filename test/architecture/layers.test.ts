// The layers of docs/architecture.md, held by the import graph of src/: every
// import specifier (static, re-export, dynamic import()) is read with the
// TypeScript parser and checked against the rules below. A new folder under
// src/ must be given a layer here before it can be imported.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve('src');

/** Layer of each top-level area of src/ (a folder, or 'shared' for files directly in src/). */
const LAYER: Record<string, 'time' | 'core' | 'shared' | 'shell' | 'entry'> = {
  time: 'time',
  calendar: 'core',
  models: 'core', // the pricing-model registry: below plans, above time, calendar and shared
  plans: 'core',
  rules: 'core',
  billing: 'core',
  shared: 'shared', // src/*.ts (errors.ts): used by every layer, imports nothing above the core
  wire: 'shared',
  app: 'shell',
  store: 'shell',
  api: 'shell',
  cli: 'shell',
  render: 'shell',
  'partner-center': 'shell',
  main: 'entry', // the composition root: may import every layer; nothing imports it
};
const CORE = new Set(['time', 'calendar', 'models', 'plans', 'rules', 'billing']);

/** Modules that reach outside the process (files, processes, network, threads, terminal). */
const IO = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|readline|cluster|os|process|inspector)$|^(better-sqlite3|pg|drizzle-orm|fastify|@fastify\/|commander|cli-progress)/;
/** The database drivers and the ORM: only src/store may import them (type-only imports excepted). */
const DRIVER = /^(better-sqlite3|pg|drizzle-orm)(\/|$)/;

/**
 * Edges that break a rule today, each with its reason. The test fails when
 * one is fixed and still listed, so this list only shrinks. Empty: keep it so.
 */
const KNOWN: Record<string, string> = {};

interface Edge {
  readonly from: string; // path under src/
  readonly spec: string;
  readonly to: string | null; // path under src/ of a relative import, else null (a package)
  readonly typeOnly: boolean;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [p] : [];
  });
}

const sources = new Map<string, ts.SourceFile>();
for (const file of files(SRC)) {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  sources.set(rel, ts.createSourceFile(rel, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));
}

const areaOf = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : 'shared');

function edgesOf(rel: string, sf: ts.SourceFile): Edge[] {
  const out: Edge[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    const to = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).replace(/\.js$/, '.ts') : null;
    out.push({ from: rel, spec, to, typeOnly });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text, n.importClause?.isTypeOnly === true);
    else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text, n.isTypeOnly);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) add(n.arguments[0].text, false);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) add(n.argument.literal.text, true);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Reads of the clock in a file: what the functional core must not do. */
function clockReads(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    const text = (): string => n.getText(sf);
    if (ts.isNewExpression(n) && n.expression.getText(sf) === 'Date' && (n.arguments?.length ?? 0) === 0) out.push(text());
    if (ts.isCallExpression(n)) {
      const callee = n.expression.getText(sf);
      if (callee === 'Date.now' || callee === 'performance.now' || callee === 'process.hrtime' || callee === 'process.hrtime.bigint' || callee === 'DateTime.now') out.push(text());
      if (callee === 'DateTime.local' && n.arguments.length === 0) out.push(text());
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const edges = [...sources].flatMap(([rel, sf]) => edgesOf(rel, sf));

/** Every broken rule, as `from -> to` (or `from -> package`) with the rule. */
function violations(list: readonly Edge[] = edges): Map<string, string> {
  const out = new Map<string, string>();
  const flag = (e: Edge, rule: string): void => {
    out.set(`${e.from} -> ${e.to ?? e.spec}`, rule);
  };
  for (const e of list) {
    const a = areaOf(e.from);
    if (e.to === null) {
      // models: TypeBox types only (its values in schema-kit.ts, which the model modules import as a type), so the registry loads no TypeBox
      if (a === 'models' && !(e.spec === '@sinclair/typebox' && (e.typeOnly || e.from === 'models/schema-kit.ts'))) flag(e, 'models imports no package but TypeBox (types, and the values of schema-kit.ts)');
      if ((CORE.has(a) || LAYER[a] === 'shared') && !e.typeOnly && IO.test(e.spec)) flag(e, 'the core does no I/O');
      if (a !== 'store' && !e.typeOnly && DRIVER.test(e.spec)) flag(e, 'only src/store touches the database driver or drizzle');
      continue;
    }
    const b = areaOf(e.to);
    if (a === 'models' && e.to === 'models/schema-kit.ts' && !e.typeOnly) flag(e, 'a model imports the schema kit as a type only (the registry loads no TypeBox)');
    if (a === b) continue;
    const la = LAYER[a];
    const lb = LAYER[b];
    if (lb === undefined) {
      flag(e, `src/${b} has no layer in test/architecture/layers.test.ts`);
      continue;
    }
    if ((la === 'time' || la === 'shared') && lb !== 'time' && lb !== 'shared') flag(e, `${a} imports only time and shared modules`);
    if (la === 'core' && lb === 'shell') flag(e, 'the core imports no shell module');
    if (a === 'models' && !['time', 'calendar', 'shared', 'wire'].includes(b)) flag(e, 'models imports only models, time, calendar and shared modules');
    if (a === 'plans' && !['time', 'calendar', 'models', 'shared', 'wire'].includes(b)) flag(e, 'plans imports only plans, models, time, calendar and shared modules');
    if (lb === 'entry') flag(e, 'nothing imports the composition root (src/main)');
    if ((a === 'api' && b === 'cli') || (a === 'cli' && b === 'api')) flag(e, 'api and cli do not import each other (both call src/app)');
    if (a === 'app' && (b === 'api' || b === 'cli')) flag(e, 'app is below api and cli');
    if (a === 'render' && ['api', 'cli', 'store', 'app'].includes(b)) flag(e, 'render turns statements into documents; it reads no store and serves no route');
    if (a === 'store' && ['api', 'cli', 'render', 'app'].includes(b)) flag(e, 'the store is below the application');
  }
  return out;
}

t.test('every folder of src/ has a layer', async (t) => {
  const areas = new Set([...sources.keys()].map(areaOf));
  for (const a of areas) t.ok(a in LAYER, `src/${a} is given a layer`);
});

t.test('the import graph is read', async (t) => {
  // a parser that found nothing would pass every rule
  t.ok(edges.length > 300, `${edges.length} imports`);
  t.ok(edges.some((e) => e.from === 'billing/statement.ts' && e.to === 'rules/evaluate.ts'), 'a known edge is seen');
  t.ok(edges.some((e) => e.from === 'cli/verify.ts' && e.spec === '../app/verify.js' && !e.typeOnly), 'dynamic import() is seen');
});

t.test('imports follow the layers', async (t) => {
  const found = violations();
  for (const [edge, rule] of found) if (!(edge in KNOWN)) t.fail(`${edge}: ${rule}`);
  for (const edge of Object.keys(KNOWN)) t.ok(found.has(edge), `${edge} is listed as known but no longer breaks a rule: remove it from KNOWN`);
});

t.test('the functional core reads no clock', async (t) => {
  for (const [rel, sf] of sources) {
    if (!CORE.has(areaOf(rel))) continue;
    t.same(clockReads(sf), [], `${rel} reads no clock`);
  }
});

t.test('the rules catch what they are meant to', async (t) => {
  const probe = (rel: string, source: string): { edges: Edge[]; clock: string[] } => {
    const sf = ts.createSourceFile(rel, source, ts.ScriptTarget.ES2022, true);
    return { edges: edgesOf(rel, sf), clock: clockReads(sf) };
  };
  const p = probe('billing/x.ts', "import { a } from '../store/sqlite.js';\nimport type { B } from '../api/app.js';\nconst m = await import('node:fs');\nconst n = Date.now() + new Date().getTime();\n");
  t.same(
    p.edges.map((e) => [e.to ?? e.spec, e.typeOnly]),
    [
      ['store/sqlite.ts', false],
      ['api/app.ts', true],
      ['node:fs', false],
    ],
  );
  t.same(p.clock, ['Date.now()', 'new Date()']);
  t.same(probe('rules/y.ts', "const d = new Date(ms);\nDateTime.fromMillis(ms);\n").clock, [], 'a Date from a given instant is not a clock read');
  t.ok(IO.test('node:child_process') && IO.test('fs') && IO.test('@fastify/swagger') && !IO.test('node:crypto') && !IO.test('luxon'));
  const broken = (rel: string, source: string): string[] => [...violations(probe(rel, source).edges).keys()];
  t.same(broken('models/z.ts', "import type { Plan } from '../plans/types.js';\nimport { Type } from '@sinclair/typebox';\nimport type { SchemaKit } from './schema-kit.js';\n"), ['models/z.ts -> plans/types.ts', 'models/z.ts -> @sinclair/typebox'], 'models sits below plans and loads no TypeBox');
  t.same(broken('models/z.ts', "import { kit } from './schema-kit.js';\nimport { rat } from '../rational.js';\nimport type { Calendar } from '../calendar/types.js';\n"), ['models/z.ts -> models/schema-kit.ts'], 'a model imports the schema kit as a type only');
  t.same(broken('cli/z.ts', "import { buildApp } from '../api/app.js';\nconst m = await import('../main/serve.js');\n"), ['cli/z.ts -> api/app.ts', 'cli/z.ts -> main/serve.ts'], 'cli reaches neither api nor the entry');
  t.same(broken('main/z.ts', "import { buildApp } from '../api/app.js';\nimport { main } from '../cli/main.js';\n"), [], 'the entry composes api and cli');
  t.ok(DRIVER.test('drizzle-orm/sqlite-core') && DRIVER.test('pg') && !DRIVER.test('pg-format'));
});

t.test("the render engine stays on Handlebars' public API", async (t) => {
  // no subclassed compiler, no reaching into an environment's registries
  const engine = sources.get('render/engine.ts')!.getFullText();
  for (const internal of ['JavaScriptCompiler', 'Compiler', '.helpers.', '.partials.', 'Handlebars.VM', 'Handlebars.Utils']) {
    t.notOk(engine.includes(internal), `render/engine.ts does not use ${internal}`);
  }
});
