// Renderings of a plan diff: text for a terminal, Markdown for a pull-request
// comment, JSON for tools. All three show the same entries in the same order.
import type { DiffEntry } from '../plans/diff.js';
import type { Impact, ImpactRow, ImpactSide, OfferingImpact } from '../app/impact.js';

export interface DiffReport {
  /** The base revision as given, and the commit it named. */
  readonly from: string;
  readonly fromCommit: string;
  /** The target revision as given, or null for the working tree. */
  readonly to: string | null;
  readonly toCommit: string | null;
  /** Per plan file compared (repository path), in path order. */
  readonly files: readonly { readonly path: string; readonly entries: readonly DiffEntry[] }[];
  readonly impact?: readonly Impact[];
}

const short = (sha: string) => sha.slice(0, 7);

function range(r: DiffReport): { from: string; to: string } {
  return {
    from: `${r.from} (${short(r.fromCommit)})`,
    to: r.to === null ? 'working tree' : `${r.to} (${short(r.toCommit ?? '')})`,
  };
}

/** + added, - removed, ~ changed: the sign reviewers know from line diffs. */
export function sign(e: DiffEntry): string {
  return e.kind.endsWith('-added') ? '+' : e.kind.endsWith('-removed') ? '-' : '~';
}

/** Entries of one file grouped: plan-wide ones first (offering absent), then per offering in diff order. */
function groups(entries: readonly DiffEntry[]): Array<{ offering: string | null; entries: DiffEntry[] }> {
  const out: Array<{ offering: string | null; entries: DiffEntry[] }> = [];
  const wide = entries.filter((e) => !e.offering);
  if (wide.length) out.push({ offering: null, entries: wide });
  for (const e of entries) {
    if (!e.offering) continue;
    const g = out.find((x) => x.offering === e.offering);
    if (g) g.entries.push(e);
    else out.push({ offering: e.offering, entries: [e] });
  }
  return out;
}

function amount(s: ImpactSide | null): string {
  return s ? `${s.currency} ${s.total}` : '—';
}

function signed(d: string | null): string {
  if (d === null) return '—';
  return d.startsWith('-') ? d : /[1-9]/.test(d) ? `+${d}` : d;
}

/** What a row says besides the amounts: how the customer is priced, an issued period, an error. */
function notes(c: ImpactRow): string[] {
  const out: string[] = [];
  if (c.grandfathered) out.push(`grandfathered as of ${c.grandfathered}`);
  // the plan keeps no memory of a price edited in place: the grandfathered customer is affected
  if (c.editedAsOf?.length) out.push(`the price in force on ${c.grandfathered} was edited in place (${c.editedAsOf.join(', ')}): change prices as a new version to keep grandfathered customers on theirs`);
  if (c.agreed?.length) out.push(`agreed prices: ${c.agreed.join(', ')}`);
  if (c.issued) {
    const cur = c.before?.currency ?? c.after?.currency ?? '';
    out.push(`issued ${c.issued}, left out: ${c.correction === null || c.correction === undefined ? 'no correction can be computed' : `correction on the next open statement ${cur} ${signed(c.correction)} (offering lines ${cur} ${c.before?.offering ?? '—'} → ${c.after ? `${c.after.currency} ${c.after.offering}` : '—'})`}`);
  }
  if (c.error) out.push(c.error);
  return out;
}

/** "corrections on the next open statements: USD +50.00 (1 customer with the period issued)". */
function correctionsText(c: NonNullable<OfferingImpact['corrections']>): string {
  const sums = Object.entries(c.total).map(([cur, x]) => `${cur} ${signed(x)}`);
  return `corrections on the next open statements: ${sums.length ? sums.join(', ') : '—'} (${c.customers} customer${c.customers === 1 ? '' : 's'} with the period issued)`;
}

function changedCount(r: DiffReport): number {
  return r.files.reduce((n, f) => n + f.entries.length, 0);
}

// ---------------------------------------------------------------- text

export function renderText(r: DiffReport): string {
  const { from, to } = range(r);
  const lines: string[] = [`Plan changes ${from} → ${to}`];
  const changed = r.files.filter((f) => f.entries.length);
  if (!changed.length) lines.push('', 'No changes.');
  for (const f of changed) {
    lines.push('', `${f.entries[0].partner}  ${f.path}`);
    for (const g of groups(f.entries)) {
      const indent = g.offering ? '    ' : '  ';
      if (g.offering) lines.push(`  offering ${g.offering}`);
      for (const e of g.entries) lines.push(`${indent}${sign(e)} ${e.summary}`);
    }
  }
  for (const imp of r.impact ?? []) {
    lines.push('', `Customer impact, ${imp.partner}, ${imp.period} (statement totals before → after)`);
    for (const o of imp.offerings) {
      lines.push(`  offering ${o.offering}`);
      if (!o.customers.length) lines.push('    no customers hold it in this period');
      const width = Math.max(0, ...o.customers.map((c) => c.customer.length));
      for (const c of o.customers) {
        // an issued period is not re-billed: its correction stands in place of the totals
        const amounts = c.issued ? '' : `${amount(c.before)} → ${amount(c.after)}  (${signed(c.difference)})`;
        lines.push(`    ${c.customer.padEnd(width)}  ${[amounts, notes(c).join('; ')].filter(Boolean).join('  ')}`);
      }
      if (o.corrections) lines.push(`    ${correctionsText(o.corrections)}`);
    }
  }
  lines.push('', `${changedCount(r)} change(s) in ${changed.length} of ${r.files.length} plan file(s).`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- markdown

/** Plan text (addresses, names, notes) must not become Markdown or HTML in a PR comment. */
function md(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function row(c: ImpactRow): string {
  const note = md(notes(c).join('; '));
  if (c.issued) return `| ${code(c.customer)} | — | — | — | ${note} |`;
  return `| ${code(c.customer)} | ${md(amount(c.before))} | ${md(amount(c.after))} | ${md(signed(c.difference))} | ${note} |`;
}

export function renderMarkdown(r: DiffReport): string {
  const { from, to } = range(r);
  const out: string[] = [`### Plan changes ${code(from)} → ${code(to)}`];
  const changed = r.files.filter((f) => f.entries.length);
  if (!changed.length) out.push('', 'No changes.');
  for (const f of changed) {
    out.push('', `#### ${code(f.entries[0].partner)} (${code(f.path)})`);
    for (const g of groups(f.entries)) {
      out.push('', g.offering ? `**Offering ${code(g.offering)}**` : '**Plan-wide**', '');
      for (const e of g.entries) out.push(`- ${code(sign(e))} ${md(e.summary)}`);
    }
  }
  for (const imp of r.impact ?? []) {
    out.push('', `#### Customer impact: ${code(imp.partner)}, ${imp.period}`, '');
    out.push('| offering | customer | before | after | difference | note |', '| --- | --- | ---: | ---: | ---: | --- |');
    for (const o of imp.offerings) {
      if (!o.customers.length) out.push(`| ${code(o.offering)} | — | | | | no customers hold it in this period |`);
      for (const c of o.customers) out.push(`| ${code(o.offering)} ${row(c)}`);
      if (o.corrections) out.push(`| ${code(o.offering)} | — | | | | ${md(correctionsText(o.corrections))} |`);
    }
  }
  out.push('', `${changedCount(r)} change(s) in ${changed.length} of ${r.files.length} plan file(s).`);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- json

export function renderJson(r: DiffReport): string {
  const doc = {
    from: r.from,
    fromCommit: r.fromCommit,
    to: r.to,
    toCommit: r.toCommit,
    files: r.files.map((f) => ({ path: f.path, changes: f.entries.length })),
    entries: r.files.flatMap((f) => f.entries),
    ...(r.impact ? { impact: r.impact } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
