// The docs stand alone: no page cites a specification the repository does
// not contain ("SPEC §x", "§x"), and every link to another page or file of
// the repository points at one that exists.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = [...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f)), 'README.md'];

t.test('no page cites a spec section the repository does not contain', async (t) => {
  t.ok(PAGES.length >= 15, `${PAGES.length} pages`);
  for (const page of PAGES) {
    const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
    const cites = lines.map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => /§|\bSPEC\b/.test(l));
    t.same(cites.map(({ n, l }) => `${page}:${n}: ${l.trim()}`), [], page);
  }
});

t.test("every link to a file of the repository finds it", async (t) => {
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!.split('#')[0]!;
      if (target === '' || /^[a-z]+:/.test(target)) continue; // an anchor of the page, a URL
      t.ok(existsSync(resolve(ROOT, dirname(page), target)), `${page}: ${m[1]}`);
    }
  }
});
