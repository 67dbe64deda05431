// The fast reader (src/plans/fast-yaml.ts) must give exactly what the yaml
// package path gives: the same data (values, key order, number text) and the
// same line:column for every node and key, or give up. Random documents in
// the styles plan files use, plus the example plans, generated plans and
// byte-level corruptions of them.
import t from 'tap';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { stringify } from 'yaml';
import { parseTree, type Tree } from '../../src/plans/yaml-tree.js';
import { readFast, unsupported } from '../../src/plans/fast-yaml.js';
import { loadPlan, loadPlanWith } from '../../src/plans/load.js';
import { planFileText } from '../../bench/data.js';

type Seg = string | number;

/** Every node: its path, location and value, in document order. */
function dump(tree: Tree): string[] {
  const out: string[] = [];
  const walk = (v: unknown, segs: Seg[]) => {
    const kind = Array.isArray(v) ? 'list' : v !== null && typeof v === 'object' ? `map(${Object.getPrototypeOf(v) === null ? 'null' : 'proto'})` : typeof v;
    const value = typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : typeof v === 'object' ? '' : JSON.stringify(v);
    out.push(`${JSON.stringify(segs)} ${JSON.stringify(tree.locate(segs))} ${kind} ${value} ${tree.source(segs)}`);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...segs, i]));
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...segs, k]);
  };
  walk(tree.data, []);
  return out;
}

/** Same result both ways; returns whether the fast reader took the document. */
function same(src: string): boolean {
  const fast = readFast(src) !== null;
  const yamlTree = parseTree(src, 'f.yaml', { fast: false });
  if (fast) {
    if (yamlTree.findings.length > 0) throw new Error(`fast reader accepted a document with findings: ${JSON.stringify(yamlTree.findings)}\n${src}`);
    const a = dump(parseTree(src, 'f.yaml'));
    const b = dump(yamlTree);
    const i = a.findIndex((x, k) => x !== b[k]);
    if (i >= 0 || a.length !== b.length) throw new Error(`fast and yaml differ:\n fast ${a[i]}\n yaml ${b[i]}\n---\n${src}`);
  }
  return fast;
}

const dir = new URL('../fixtures/plans/', import.meta.url);
const examples = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(new URL(f, dir), 'utf8'));
const generated = [planFileText('partner-0001', 10, 101), planFileText('partner-0002', 3, 102)];
const runs = Number(process.env.PROPERTY_RUNS ?? 300);
// each corrupted plan is loaded by both readers, the yaml one being slow on a busy machine
const corruptRuns = Math.ceil(runs / 6);
t.setTimeout(300_000);

t.test('example and generated plans: read fast, same data and positions', async (t) => {
  for (const src of [...examples, ...generated]) t.ok(same(src), 'read by the fast reader');
});

// scalars plan authors write, including ones the core schema turns into numbers, booleans and null
const word = fc.constantFrom('a', 'x1', 'mon-fri', '24x7', 'Contoso Cloud', 'https://x.example/a:b', 'a#b', '产品 1', 'don\'t', 'a, b', 'é', 'x:y');
const special = fc.constantFrom('0', '-0', '12', '+5', '-5', '49.10', '1.', '.5', '-.5', '1e3', '1E-2', '0x1F', '0o17', '.inf', '-.Inf', '.nan', 'true', 'False', 'NULL', '~', 'null', 'yes', '2026-01-01', '08:00-18:00', '007', '1_000');
const scalar = fc.oneof(word, special, fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
const key = fc.oneof(fc.constantFrom('id', 'name', 'a', 'b', '0', '1', '__proto__', 'constructor', 'mon-fri', 'x y', '"q"'), fc.string({ minLength: 1, maxLength: 6 }));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node;

t.test('random documents written by yaml in block and flow styles', async (t) => {
  let taken = 0;
  fc.assert(
    fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), fc.constantFrom('block', 'flow', 'any'), fc.nat(3), fc.boolean(), (data, collectionStyle, indent, comments) => {
      let src = stringify(data, { collectionStyle: collectionStyle as 'block' | 'flow' | 'any', indent: indent + 1, lineWidth: 0, flowCollectionPadding: indent % 2 === 0 });
      if (comments) src = src.split('\n').map((l, i) => (l && i % 3 === 0 ? `${l}  # note ${i}` : l)).join('\n');
      if (same(src)) taken++;
    }),
    { numRuns: runs },
  );
  t.ok(taken > runs / 10, `${taken} of ${runs} documents read fast`);
});

t.test('corrupted plans: the fast reader agrees or gives up', async (t) => {
  const sources = [...examples, ...generated];
  fc.assert(
    fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ':', ': ', '-', '- ', '[', ']', '{', '}', ',', '"', "'", '&a', '*a', '\t', '\n', '\n  ', ' ', '  ', '#', ' #', '!', '%', '|', '>', '?', '\\', '\r', '\u00a0', 'x', '0', '.5', '~', '---')), { maxLength: 3 }), (si, edits) => {
      let s = sources[si % sources.length];
      for (const [at, ins] of edits) {
        const i = at % (s.length + 1);
        s = s.slice(0, i) + ins + s.slice(i + (ins === '' ? 1 : 0));
      }
      same(s);
      // and the loader's findings are the same whichever reader ran
      const fast = JSON.stringify(loadPlan(s, 'f.yaml').findings);
      if (readFast(s) !== null) {
        const slow = JSON.stringify(loadPlanWith(s, 'f.yaml', { fast: false }).findings);
        if (fast !== slow) throw new Error(`findings differ:\n${fast}\n${slow}`);
      }
    }),
    { numRuns: corruptRuns },
  );
  t.pass();
});

t.test('unsupported characters and document markers: the char loop agrees with the regexes it replaced', async (t) => {
  // eslint-disable-next-line no-control-regex
  const CHAR = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;
  const MARKER = /^(?:---|\.\.\.)(?:[ \n]|$)|^%/m;
  const piece = fc.oneof(
    fc.constantFrom('a', ' ', '\n', '-', '.', '%', '---', '...', '--', '\n---', '\n...x', '\n% x', '\t', '\r', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ufffd', '\uff00', '\ufefe', '\u00a0', '\u009f', '\u007f', '\u0000', '产', '\ud83d\ude00', '\ud83d', '\ude00', '\ud7ff', '\ue000', '\u2027', '\u202a'),
    fc.string({ unit: 'binary', maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
      const s = parts.join('');
      const want = CHAR.test(s) || MARKER.test(s);
      if (unsupported(s) !== want) throw new Error(`unsupported(${JSON.stringify(s)}) should be ${want}`);
    }),
    { numRuns: runs * 2 },
  );
  for (const src of [...examples, ...generated]) t.equal(unsupported(src), false);
});
