// The Markdown the API writes for terms (GET …/terms?format=md): headings,
// paragraphs (a line ending in two spaces breaks), "- " lists, pipe tables,
// **bold** and backslash escapes. Built as elements with text content only.
import { h, type Child } from './dom.js';

/** "**Monthly fee (base)**: USD 250.00 \+1" → [<strong>Monthly fee (base)</strong>, ": USD 250.00 +1"]. */
export function inline(text: string): Child[] {
  const out: Child[] = [];
  const parts = text.split(/(\*\*(?:\\.|[^*])+\*\*)/);
  for (const p of parts) {
    if (!p) continue;
    if (p.startsWith('**') && p.endsWith('**') && p.length > 4) out.push(h('strong', null, unescape(p.slice(2, -2))));
    else out.push(unescape(p));
  }
  return out;
}
const unescape = (s: string): string => s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** A Markdown section: its heading (without #) and its lines. */
export interface Section {
  readonly level: number;
  readonly title: string;
  readonly lines: readonly string[];
}

/** The document cut at its headings (text before the first heading has level 0). */
export function sections(md: string): Section[] {
  const out: { level: number; title: string; lines: string[] }[] = [{ level: 0, title: '', lines: [] }];
  for (const line of md.split('\n')) {
    const m = /^(#{1,6})\s+(.*)$/.exec(line);
    if (m) out.push({ level: m[1]!.length, title: unescape(m[2]!.trim()), lines: [] });
    else out[out.length - 1]!.lines.push(line);
  }
  return out;
}

/** The lines of the section titled `title` and of its subsections. */
export function sectionText(md: string, title: string): string | null {
  const all = sections(md);
  const i = all.findIndex((s) => s.title === title);
  if (i < 0) return null;
  const level = all[i]!.level;
  const lines: string[] = [...all[i]!.lines];
  for (let j = i + 1; j < all.length && all[j]!.level > level; j++) lines.push(`${'#'.repeat(all[j]!.level)} ${all[j]!.title}`, ...all[j]!.lines);
  return lines.join('\n');
}

/** Markdown → elements; headings shifted down by `shift` levels (a page has its own h1). */
export function markdown(md: string, shift = 1): HTMLElement {
  const root = h('div', { class: 'markdown' });
  const lines = md.split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length === 0) return;
    const p = h('p');
    para.forEach((l, i) => {
      p.append(...(inline(l.replace(/ {2}$/, '')) as (Node | string)[]));
      if (i < para.length - 1) p.append(/ {2}$/.test(l) ? h('br') : ' ');
    });
    root.append(p);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const head = /^(#{1,6})\s+(.*)$/.exec(line);
    if (head) {
      flush();
      const level = Math.min(6, head[1]!.length + shift);
      root.append(h(`h${level}` as 'h2', null, ...inline(head[2]!.trim())));
    } else if (/^\s*[-*]\s+/.test(line)) {
      flush();
      const ul = h('ul');
      for (; i < lines.length && /^\s*[-*]\s+/.test(lines[i]!); i++) ul.append(h('li', null, ...inline(lines[i]!.replace(/^\s*[-*]\s+/, ''))));
      i--;
      root.append(ul);
    } else if (/^\s*\|/.test(line)) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]!); i++) if (!/^\s*\|[\s|:-]+\|\s*$/.test(lines[i]!)) rows.push(cells(lines[i]!));
      i--;
      const [header, ...body] = rows;
      root.append(
        h(
          'table',
          null,
          h('thead', null, h('tr', null, ...(header ?? []).map((c) => h('th', { scope: 'col' }, ...inline(c))))),
          h('tbody', null, ...body.map((r) => h('tr', null, ...r.map((c) => h('td', null, ...inline(c)))))),
        ),
      );
    } else if (line.trim() === '') flush();
    else para.push(line);
  }
  flush();
  return root;
}
