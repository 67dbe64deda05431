// The loader never throws, whatever it is given: only positioned findings.
import t from 'tap';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { loadPlan } from '../../src/plans/load.js';

const dir = new URL('../fixtures/plans/', import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(new URL(f, dir), 'utf8'));

function checkResult(src: string): void {
  const r = loadPlan(src, 'm.yaml');
  for (const f of r.findings) {
    if (f.file !== 'm.yaml' || !(f.line >= 1) || !(f.column >= 1) || !f.path || !f.message || !['error', 'warning'].includes(f.severity))
      throw new Error(`bad finding ${JSON.stringify(f)}`);
  }
  if (r.plan === null && !r.findings.some((f) => f.severity === 'error')) throw new Error('no plan and no error');
}

/** Paths of every node of a plan, for structural mutations. */
function paths(src: string): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(parseDocument(src).toJS(), []);
  return out.filter((p) => p.length > 0);
}

const runs = Number(process.env.PROPERTY_RUNS ?? 40);
// each run loads a whole plan; leave room on a busy machine
t.setTimeout(300_000);

t.test('structural mutations: drop keys, swap types, change ids', async (t) => {
  const all = sources.map((s) => ({ s, p: paths(s) }));
  const replacement = fc.oneof(
    fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.constant([]), fc.constant({}),
    fc.constant('__proto__'), fc.constant('constructor'), fc.constant('fax'), fc.constant('24x7'), fc.constant('49.001'),
  );
  fc.assert(
    fc.property(fc.nat(), fc.nat(), fc.constantFrom('delete', 'set', 'rename'), replacement, (si, pi, op, value) => {
      const { s, p } = all[si % all.length];
      const path = p[pi % p.length];
      const doc = parseDocument(s);
      if (op === 'delete') doc.deleteIn(path);
      else if (op === 'set') doc.setIn(path, value);
      else {
        const last = path[path.length - 1];
        const parent = path.slice(0, -1);
        if (typeof last === 'string' && doc.hasIn(path)) {
          const v = doc.getIn(path);
          doc.deleteIn(path);
          doc.setIn([...parent, typeof value === 'string' && value ? value : last + 'x'], v);
        }
      }
      checkResult(doc.toString());
    }),
    { numRuns: runs },
  );
  t.pass();
});

t.test('byte corruption of the YAML text', async (t) => {
  fc.assert(
    fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ':', '-', '[', '{', '"', "'", '&a', '*a', '\t', '\n', ' ', '#', '!', '%', '|', '>', '\u0000', 'x'))), (si, edits) => {
      let s = sources[si % sources.length];
      for (const [at, ins] of edits) {
        const i = at % (s.length + 1);
        s = s.slice(0, i) + ins + s.slice(i + (ins === '' ? 1 : 0));
      }
      checkResult(s);
    }),
    { numRuns: runs },
  );
  t.pass();
});
