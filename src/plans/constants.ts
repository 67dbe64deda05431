// Runtime constants of the plan format, kept apart from schema.ts so the
// loader does not load TypeBox at run time (the schema is precompiled).
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Microsoft's technical vehicles (§12.4); `signature-cloud` is still read, as partner-cloud-support with a warning. */
export const TECHNICAL_VEHICLES = ['premier-support', 'advanced-support', 'partner-cloud-support', 'unified-support', 'signature-cloud'] as const;
export { LOCALES as SUPPORTED_LOCALES, CATEGORIES as CATEGORY_VALUES } from '../wire/patterns.js';
export const CHANNEL_TYPES = ['phone', 'email', 'portal', 'chat', 'teams', 'other'] as const;
