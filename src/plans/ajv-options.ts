// The one Ajv configuration: used to generate the standalone validator and by
// tests that compile the schema afresh.
import type { Options } from 'ajv';

export const AJV_OPTIONS: Options = {
  allErrors: true,
  verbose: true, // errors carry parentSchema: errorMessage hints and allowed keys
  discriminator: true,
  strict: true,
  allowUnionTypes: true,
};
export const AJV_FORMATS = ['date', 'email', 'uri'] as const;
/** Annotation keyword: our hint for a failed pattern; editors show it too. */
export const AJV_KEYWORDS = ['errorMessage'] as const;
