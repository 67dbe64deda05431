// Format negotiation for the HTTP routes of statements and terms (SPEC §6):
// `?format=` wins; else the Accept header by q-value; else the fallback.
// Returns null when nothing acceptable is offered (the route answers 406).

const TYPES: Readonly<Record<string, string>> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'text/csv': 'csv',
  'application/json': 'json',
};

export function negotiateFormat<F extends string>(
  req: { query?: string | null; accept?: string | null },
  allowed: readonly F[],
  fallback: F,
): F | null {
  if (req.query) return (allowed as readonly string[]).includes(req.query) ? (req.query as F) : null;
  if (!req.accept) return fallback;
  const ranges = req.accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.type && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === '*/*') return fallback;
    const f = TYPES[r.type] as F | undefined;
    if (f && allowed.includes(f)) return f;
    if (r.type.endsWith('/*')) {
      const major = r.type.slice(0, -1);
      if (fallback && Object.entries(TYPES).some(([t, v]) => v === fallback && t.startsWith(major))) return fallback;
      const any = Object.entries(TYPES).find(([t, v]) => t.startsWith(major) && allowed.includes(v as F));
      if (any) return any[1] as F;
    }
  }
  return null;
}
