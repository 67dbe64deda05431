// The pieces of the plan-file schema that the pricing models build their
// component schemas from (each ModelDef's `schema(kit)`), and that the rest of
// the plan schema (plans/schema.ts) shares with them. It sits with the models,
// below plans; model modules import it as a type only, so loading the registry
// loads no TypeBox.
import { Type, type TSchema, type TString } from '@sinclair/typebox';
import { CATEGORIES, DURATION_PATTERN, SLUG_HINT, SLUG_PATTERN } from '../wire/patterns.js';

const SLUG = SLUG_PATTERN;

export const strict = { additionalProperties: false } as const;

/** A map with constrained keys; any other key is an error. */
export const Rec = <K extends TString, V extends TSchema>(key: K, value: V, options: object = {}) =>
  Type.Record(key, value, { ...strict, ...options });

export const Id = (description: string) => Type.String({ pattern: SLUG, errorMessage: SLUG_HINT, description });

/** Money in major units; a number or a string, always read from its source text. */
export const Money = (description: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' })], {
    description,
    errorMessage: 'an amount in major units written as a plain decimal, e.g. 49.00',
  });
export const Percentage = (description: string) =>
  Type.String({ pattern: '^[0-9]+(\\.[0-9]{1,4})?%$', errorMessage: 'a percentage like "12.5%" (up to 4 decimals)', description });
export const Duration = (description: string) =>
  Type.String({ pattern: DURATION_PATTERN, errorMessage: 'a duration like "45m", "4h" or "1h30m"', description });
export const LocalDate = (description: string) =>
  Type.String({ format: 'date', errorMessage: 'a date YYYY-MM-DD', description });

export const LocaleKey = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
export const Text = (description: string) =>
  Type.Union(
    [
      Type.String({ minLength: 1 }),
      Rec(Type.String({ pattern: LocaleKey }), Type.String({ minLength: 1 }), { minProperties: 1 }),
    ],
    { description, errorMessage: 'display text: a string, or a map of locale to string like { en-US: Standard, zh-CN: 标准 }' },
  );

export const Lit = <T extends readonly string[]>(values: T, description: string) =>
  Type.Union(values.map((v) => Type.Literal(v)) as never as ReturnType<typeof Type.Literal<T[number]>>[], { description });

export const CategoryT = Lit(CATEGORIES, 'Support category');

export const Version = {
  id: Id('Component id; several entries with one id are versions in time'),
  from: Type.Optional(LocalDate('First day this version applies (inclusive)')),
  to: Type.Optional(LocalDate('Last day this version applies (inclusive)')),
  description: Type.Optional(Text('Shown on terms and statements')),
};
export const Metric = Type.String({ pattern: SLUG, errorMessage: 'a metric name like seats', description: 'Quantity metric' });
export const UnitPrice = (d: string) => Money(`${d}; up to 6 decimals`);
export const Tier = Type.Object(
  {
    upTo: Type.Optional(Type.Integer({ minimum: 1, description: 'Last unit of this tier; omit on the last, open-ended tier' })),
    amount: UnitPrice('Unit price'),
    flat: Type.Optional(Money('Block price added when the tier is reached')),
  },
  strict,
);
export const Tiers = Type.Array(Tier, { minItems: 1, description: 'Ascending tiers; exactly one open-ended last tier' });

/** The pieces a model's schema is built from (src/models: each model's `schema`). */
export const kit = { Type, strict, Version, Metric, UnitPrice, Money, Tiers, Percentage, Duration, Id, Category: CategoryT };
export type SchemaKit = typeof kit;
