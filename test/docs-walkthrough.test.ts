// docs/api.md "A pricing admin's month" is run as written: each line of the
// walkthrough block is a call, the next line its status and code.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { startServer } from './api/helpers.js';

const MARKER = '<!-- walkthrough: pricing-admin-month -->';

/** The calls of the block after MARKER: method, path, body, expected status and code. */
function steps(md: string): Array<{ method: string; path: string; body?: unknown; status: number; code?: string }> {
  const at = md.indexOf(MARKER);
  if (at < 0) throw new Error('no walkthrough in docs/api.md');
  const block = md.slice(md.indexOf('```text\n', at) + 8, md.indexOf('\n```', at + MARKER.length + 8));
  const lines = block.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i += 2) {
    const call = /^(GET|POST|PUT|PATCH|DELETE) (\S+)(?: (.+))?$/.exec(lines[i]!);
    const expect = /^→ (\d{3})(?: ([A-Z_]+))?$/.exec(lines[i + 1] ?? '');
    if (!call || !expect) throw new Error(`walkthrough line ${i + 1}: "${lines[i]}" / "${lines[i + 1]}"`);
    out.push({ method: call[1]!, path: call[2]!, body: call[3] === undefined ? undefined : JSON.parse(call[3]), status: Number(expect[1]), code: expect[2] });
  }
  return out;
}

t.test("a pricing admin's month, as docs/api.md tells it", async (t) => {
  const s = await startServer(undefined, { now: () => Date.parse('2026-11-03T12:00:00Z') });
  t.teardown(() => s.close());
  const all = steps(readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8'));
  t.ok(all.length >= 10, `${all.length} calls`);
  for (const step of all) {
    const r = await s.call(step.method, step.path, step.body === undefined ? {} : { body: step.body });
    t.equal(r.status, step.status, `${step.method} ${step.path}: ${r.text.slice(0, 300)}`);
    if (step.code) t.equal(r.json?.code, step.code, `${step.method} ${step.path}: ${step.code}`);
    if (step.path === '/batch/requests') {
      t.same(r.json.results, [
        { id: 'al-1', created: true, accepted: true, reasons: [] },
        { id: 'al-2', created: true, accepted: false, reasons: ['SERVICE_NOT_COVERED'] },
      ]);
    }
  }
});
