// The plan file format of SPEC §2, defined once. The loader validates with it
// (Ajv) and `npm run schema` writes it out as schema/plan.schema.json for
// editors; the static types below are what the compiler reads after validation.
import { Type, type Static, type TSchema, type TUnion } from '@sinclair/typebox';
import { MODELS, MODEL_NAMES, type PricingFile } from '../models/index.js';
import { CategoryT, Duration, Id, kit, Lit, LocalDate, LocaleKey, Money, Percentage, Rec, strict, Text } from '../models/schema-kit.js';
import { CHANNEL_TYPES, DAYS, SUPPORTED_LOCALES, TECHNICAL_VEHICLES } from './constants.js';
import { PAUSE_STATUSES } from './types.js';
import { MATCH_FIELDS } from './service-match.js';
import { CURRENCY_PATTERN, SLUG_PATTERN } from '../wire/patterns.js';

// the primitive patterns are the wire's (one definition for plans, API, quotes and CLI lines)
const SLUG = SLUG_PATTERN;
const IdKey = Type.String({ pattern: SLUG });
const DAY = `(${DAYS.join('|')})`;
const HHMM = '([01][0-9]|2[0-3]):[0-5][0-9]';
// the pieces shared with the pricing models' component schemas live in src/models/schema-kit.ts
export { Id, LocaleKey } from '../models/schema-kit.js';

const Contact = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', description: 'E-mail address' })),
    phone: Type.Optional(Type.String({ minLength: 1, description: 'Phone number' })),
    url: Type.Optional(Type.String({ format: 'uri', description: 'Web address' })),
  },
  { ...strict, description: 'Contact details' },
);

const Partner = Type.Object(
  {
    id: Id('Partner id; the file should be plans/<id>.yaml'),
    name: Text('Partner name'),
    currency: Type.String({ pattern: CURRENCY_PATTERN, errorMessage: 'an ISO 4217 currency code like USD', description: 'ISO 4217 currency' }),
    timezone: Type.String({ minLength: 1, description: 'IANA time zone; default of calendars and periods' }),
    locale: Type.Optional(Type.Union(SUPPORTED_LOCALES.map((l) => Type.Literal(l)), { default: 'en-US', description: 'Locale of rendered documents' })),
    rounding: Type.Optional(Type.Union([Type.Literal('half-up'), Type.Literal('half-even')], { default: 'half-up', description: 'Rounding of every line amount' })),
    taxInclusive: Type.Optional(Type.Boolean({ default: false, description: 'Prices include tax: the total is the subtotal and the statement shows the tax it contains' })),
    microsoft: Type.Optional(
      Type.Object(
        {
          commercial: Type.Optional(Type.Boolean({ default: true, description: 'Holds commercial (billing, subscription) issue support; every CSP partner has it' })),
          technical: Type.Optional(
            Type.Array(Lit(TECHNICAL_VEHICLES, 'Technical escalation vehicle'), { uniqueItems: true, default: [], description: 'Technical escalation vehicles, ordered by preference' }),
          ),
        },
        { ...strict, description: 'Microsoft escalation vehicles this partner holds' },
      ),
    ),
    contact: Type.Optional(Contact),
    billing: Type.Optional(
      Type.Object(
        {
          paymentTerms: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, default: 30, description: 'Days from the issue date (partner timezone) to an invoice\'s due date' })),
          taxId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The partner\'s tax registration number, printed on invoices and credit notes' })),
          quoteValidDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'Days a quote is valid from its date (shown as "Valid until …" on quote documents)' })),
        },
        { ...strict, description: 'Invoicing terms of issued documents' },
      ),
    ),
  },
  { ...strict, description: 'The CSP partner' },
);

/** The long form of a service (§12.1); `match` is checked by compile (positions and messages of its own). */
const ServiceLong = Type.Object(
  {
    name: Text('Service display name'),
    match: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: `Partner Center matchers: ${MATCH_FIELDS.join(', ')}, each a list of exact strings or prefixes ending in *`,
      }),
    ),
  },
  // not strict: compile names an unknown key where it stands, which an anyOf of the schema could not
  { description: 'A service with Partner Center matchers' },
);

const Window = Type.String({
  pattern: `^${HHMM}-(${HHMM}|24:00)$`,
  errorMessage: 'a window "HH:MM-HH:MM" (end may be 24:00)',
  description: 'Open window, start included, end excluded',
});
const Calendar = Type.Object(
  {
    timezone: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone (default: partner.timezone)' })),
    hours: Rec(Type.String({ pattern: `^${DAY}(-${DAY})?$` }), Type.Array(Window), {
      description: 'Day key (mon … sun, or a range like mon-fri) -> list of windows; each weekday at most once',
    }),
    holidays: Type.Optional(Type.Array(LocalDate('Holiday: the whole local day is closed'), { default: [] })),
    overrides: Type.Optional(
      Rec(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), Type.Array(Window), {
        description: 'Local date YYYY-MM-DD -> that day\'s windows, replacing its weekday\'s hours (an empty list closes the day): make-up working days, half days',
      }),
    ),
  },
  { ...strict, description: 'Business hours' },
);

const Channel = Type.Object(
  {
    type: Lit(CHANNEL_TYPES, 'Kind of channel'),
    address: Type.String({ minLength: 1, description: 'Number, e-mail address or URL' }),
    calendar: Type.Optional(Id('Calendar id (default 24x7)')),
    description: Type.Optional(Text('Shown to customers')),
  },
  { ...strict, description: 'Contact channel' },
);

/** A oneOf on `model`: Ajv reports only the chosen member's errors. */
function ByModel<T extends TSchema[]>(members: [...T], description: string) {
  return Type.Unsafe<Static<TUnion<T>>>({ type: 'object', oneOf: members, discriminator: { propertyName: 'model' }, description });
}

const CostComponent = ByModel(
  [
    Type.Object({ model: Type.Literal('flat'), amount: Money('Per customer per month, prorated') }, strict),
    Type.Object({ model: Type.Literal('per-incident'), amount: Money('Per accepted request handled by the provider') }, strict),
    Type.Object({ model: Type.Literal('hourly'), amount: Money('Per worked hour') }, strict),
    Type.Object({ model: Type.Literal('percent-of-price'), rate: Percentage('Share of the subscription net price') }, strict),
  ],
  'What the partner pays the provider (§4.9)',
);

const Provider = Type.Object(
  {
    name: Text('Provider name'),
    relationship: Type.Union([Type.Literal('outsourced'), Type.Literal('resold')], { description: 'outsourced | resold' }),
    costs: Type.Array(CostComponent, { description: 'Cost components; drive the margin report' }),
    contact: Type.Optional(Contact),
  },
  { ...strict, description: 'A company that delivers support for this partner' },
);


// one member per model, in the registry's order
const PricingComponent = Type.Unsafe<PricingFile>({
  type: 'object',
  oneOf: MODEL_NAMES.map((m) => MODELS[m].schema(kit)),
  discriminator: { propertyName: 'model' },
  description: 'Pricing component (§4.1)',
});

const SEVERITY_LABEL = '^[A-Za-z0-9][A-Za-z0-9-]{0,15}$';
const PauseOn = (description: string) =>
  Type.Array(Lit(PAUSE_STATUSES, `a waiting status: ${PAUSE_STATUSES.join(', ')}`), { uniqueItems: true, description });
const Severity = Type.Object(
  {
    name: Type.Optional(Text('Severity name')),
    response: Duration('First response target, in business time of the severity calendar'),
    resolution: Type.Optional(Duration('Resolution target, in business time of the severity calendar; gives requests a resolution clock')),
    calendar: Type.Optional(Id('Calendar id (default: the offering calendar)')),
    pauseOn: Type.Optional(PauseOn('Statuses during which this severity\'s clocks stop (replaces the offering\'s pauseOn)')),
  },
  strict,
);

const Offering = Type.Object(
  {
    name: Text('Offering name'),
    summary: Type.Optional(Text('One-line summary')),
    delivery: Type.Optional(Id('"partner" or a provider id (default partner)')),
    services: Type.Array(Id('Service id'), { minItems: 1, uniqueItems: true, description: 'Services covered' }),
    categories: Type.Array(CategoryT, { minItems: 1, uniqueItems: true, description: 'Categories covered' }),
    channels: Type.Array(Id('Channel id'), { minItems: 1, uniqueItems: true, description: 'Channels offered' }),
    calendar: Type.Optional(Id('Coverage hours (default 24x7); default calendar of its severities')),
    severities: Rec(Type.String({ pattern: SEVERITY_LABEL }), Severity, { minProperties: 1, description: 'Severity label -> response target' }),
    pricing: Type.Array(PricingComponent, { description: 'Pricing components; empty for free support' }),
    minimum: Type.Optional(Money('Monthly minimum commitment (prorated)')),
    serviceCredits: Type.Optional(
      Type.Object(
        {
          perBreach: Percentage('Credit per breached SLA clock'),
          cap: Percentage('Largest credit in a month'),
          on: Type.Optional(
            Type.Array(Lit(['response', 'resolution'] as const, 'response or resolution'), {
              minItems: 1,
              uniqueItems: true,
              description: 'The clocks whose breaches earn credits (default [response])',
            }),
          ),
        },
        { ...strict, description: 'SLA service credits' },
      ),
    ),
    pauseOn: Type.Optional(PauseOn('Statuses during which SLA clocks stop, for severities without their own pauseOn')),
    includes: Type.Optional(Type.Array(Text('What is included'), { default: [] })),
    excludes: Type.Optional(Type.Array(Text('What is excluded'), { default: [] })),
    currency: Type.Optional(Type.String({ pattern: CURRENCY_PATTERN, errorMessage: 'an ISO 4217 currency code like USD', description: 'ISO 4217 currency (default: partner currency)' })),
  },
  { ...strict, description: 'A support offering' },
);

// ---- rules (§3.3)
const listOf = <T extends TSchema>(item: T) => Type.Union([item, Type.Array(item, { minItems: 1 })]);
const StrMatcher = <T extends TSchema>(item: T, description: string) =>
  Type.Union([item, Type.Array(item, { minItems: 1 }), Type.Object({ not: listOf(item) }, strict)], {
    description: `${description}: a value, a list (any of), or { not: value | list }`,
  });
const BoolMatcher = (description: string) => Type.Union([Type.Boolean(), Type.Object({ not: Type.Boolean() }, strict)], { description });
const Label = Type.String({ pattern: SEVERITY_LABEL, errorMessage: 'a severity label like A', description: 'Severity label' });

const When = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        customer: Type.Optional(StrMatcher(Id('Customer id'), 'Customer')),
        offering: Type.Optional(StrMatcher(Id('Offering id'), 'Offering')),
        service: Type.Optional(StrMatcher(Id('Service id'), 'Service')),
        category: Type.Optional(StrMatcher(CategoryT, 'Category')),
        severity: Type.Optional(StrMatcher(Label, 'Severity')),
        channel: Type.Optional(StrMatcher(Id('Channel id'), 'Channel')),
        withinHours: Type.Optional(BoolMatcher('Received inside the offering calendar')),
        serviceIncident: Type.Optional(BoolMatcher('Caused by a Microsoft service incident')),
        any: Type.Optional(Type.Array(Self, { minItems: 1, description: 'At least one of these must match' })),
      },
      { ...strict, description: 'Conditions; all must match' },
    ),
  { $id: 'When' },
);
const Then = Type.Object(
  {
    reject: Type.Optional(Type.String({ minLength: 1, description: 'Reject with this message; ends evaluation' })),
    route: Type.Optional(Id('"partner" or a provider id')),
    billable: Type.Optional(Type.Boolean({ description: 'Override billable' })),
    response: Type.Optional(Duration('Override the response target')),
    note: Type.Optional(Type.String({ minLength: 1, description: 'Note added to the decision' })),
  },
  { ...strict, minProperties: 1, description: 'Effects' },
);
const Rule = Type.Object(
  { id: Id('Rule id'), description: Type.Optional(Type.String()), when: When, then: Then },
  { ...strict, description: 'Rule, evaluated in file order' },
);

export const PlanSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Plan format version' }),
    partner: Partner,
    services: Rec(IdKey, Type.Union([Text('Service display name'), ServiceLong], { errorMessage: 'a service is a display name (a string or a locale map), or { name, match }' }), {
      minProperties: 1,
      description: 'Service id -> display name, or { name, match } (SPEC §12.1)',
    }),
    metrics: Type.Optional(
      Rec(IdKey, Rec(Type.String({ pattern: LocaleKey }), Type.String({ minLength: 1 }), { minProperties: 1, description: 'Locale -> the singular name of one unit, e.g. { en-US: seat, zh-CN: 席位 }' }), {
        description: 'Metric id -> display names shown to customers (default: the catalogs\' names of common metrics, else the id)',
      }),
    ),
    providers: Type.Optional(Rec(IdKey, Provider, { description: 'Provider id -> provider' })),
    calendars: Type.Optional(Rec(IdKey, Calendar, { description: 'Calendar id -> hours ("24x7" is built in)' })),
    channels: Type.Optional(Rec(IdKey, Channel, { description: 'Channel id -> channel' })),
    offerings: Rec(IdKey, Offering, { minProperties: 1, description: 'Offering id -> offering, in the order requests try them' }),
    rules: Type.Optional(Type.Array(Rule, { default: [], description: 'Rules, evaluated in file order' })),
  },
  { ...strict, title: 'tierbook plan file', description: 'One partner\'s support offerings (tierbook SPEC §2)' },
);

export type PlanFile = Static<typeof PlanSchema>;
export type OfferingFile = PlanFile['offerings'][string];
export type { PricingFile };
export type CalendarFile = NonNullable<PlanFile['calendars']>[string];
export type RuleFile = NonNullable<PlanFile['rules']>[number];
export type WhenFile = RuleFile['when'];
