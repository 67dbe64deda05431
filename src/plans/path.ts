// Paths inside a plan document: segments, their JSON pointer (Ajv's
// instancePath) and their readable form (offerings.standard.pricing[1].amount).
export type Seg = string | number;

export function pointer(segs: readonly Seg[]): string {
  return segs.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function displayPath(segs: readonly Seg[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(s)) out += (out ? '.' : '') + s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '(document)';
}
