// Service matchers for Partner Center lines (SPEC §12.1): the long form of a
// service may list, per column, exact strings or prefixes ending in `*`.
// Checked here for `tierbook check`; applied by src/partner-center/match.ts.

export const MATCH_FIELDS = ['productId', 'productName', 'skuName', 'meterCategory', 'subscriptionDescription', 'publisherName'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];
export type ServiceMatch = Readonly<Partial<Record<MatchField, readonly string[]>>>;

/**
 * The problems of one service's `match`, each as [path below `match`,
 * message, whether it is about the key]: an unknown field, a field that is not a list of strings, an empty
 * list, an empty string, a lone `*` (it would take every line), a `*` that
 * does not end the text.
 */
export function matchProblems(match: unknown): [(string | number)[], string, boolean?][] {
  const out: [(string | number)[], string, boolean?][] = [];
  if (typeof match !== 'object' || match === null || Array.isArray(match)) {
    out.push([[], `match is a map of column to list, like { productName: ["Microsoft 365*"] } (fields: ${MATCH_FIELDS.join(', ')})`]);
    return out;
  }
  const entries = Object.entries(match as Record<string, unknown>);
  if (entries.length === 0) out.push([[], `match names no field: give at least one of ${MATCH_FIELDS.join(', ')}`]);
  for (const [field, list] of entries) {
    if (!(MATCH_FIELDS as readonly string[]).includes(field)) {
      out.push([[field], `unknown matcher field "${field}" (fields: ${MATCH_FIELDS.join(', ')})`, true]);
      continue;
    }
    if (!Array.isArray(list)) {
      out.push([[field], `${field} is a list of strings, like ["Azure plan*"]`]);
      continue;
    }
    if (list.length === 0) out.push([[field], `empty list: it would match nothing; give at least one ${field} or remove the field`]);
    list.forEach((p: unknown, i) => {
      if (typeof p !== 'string') out.push([[field, i], `a matcher is a string, got ${JSON.stringify(p)}`]);
      else if (p === '') out.push([[field, i], 'empty matcher: it would match nothing']);
      else if (p === '*') out.push([[field, i], 'a lone "*" would take every line: write a prefix before it, like "Azure*"']);
      else if (p.indexOf('*') < p.length - 1 && p.includes('*')) out.push([[field, i], `"${p}": "*" may only end a prefix, like "Azure*"`]);
    });
  }
  return out;
}
