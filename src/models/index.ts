// The registry of pricing models (SPEC §4.1): model name -> ModelDef. The key
// order is the plan schema's order of models. Adding a model: its module, one
// entry here, its catalog entries (line.*, price.*, component.*), its docs and
// its tests (docs/pricing-models.md). A customer's own price for a component
// (SPEC §8.2) is the model's too: its ModelDef's `override` says which fields
// it takes and applies them to a version (billing/prices.ts walks the map).
import type { ModelDef } from './types.js';
import { flat } from './flat.js';
import { perUnit } from './per-unit.js';
import { graduated } from './graduated.js';
import { volume } from './volume.js';
import { perIncident } from './per-incident.js';
import { hourly } from './hourly.js';
import { percentOfSpend } from './percent-of-spend.js';
import { block } from './block.js';

export type ModelName = 'flat' | 'per-unit' | 'graduated' | 'volume' | 'per-incident' | 'hourly' | 'percent-of-spend' | 'block';

export const MODELS = {
  flat,
  'per-unit': perUnit,
  graduated,
  volume,
  'per-incident': perIncident,
  hourly,
  'percent-of-spend': percentOfSpend,
  block,
} satisfies Record<ModelName, ModelDef<never, never, unknown>>;

type Models = typeof MODELS;
type ComponentOf<D> = D extends ModelDef<infer C, unknown, unknown> ? C : never;
type FileOf<D> = D extends ModelDef<unknown, infer F, unknown> ? F : never;
type FactsOf<D> = D extends ModelDef<unknown, unknown, infer X> ? X : never;

/** A compiled pricing component (one version), of any model. */
export type PricingComponent = { [K in ModelName]: ComponentOf<Models[K]> }[ModelName];
/** A pricing component as the plan file gives it (validated by the models' schemas), of any model. */
export type PricingFile = { [K in ModelName]: FileOf<Models[K]> }[ModelName];
/** What a model's line says, of any model. */
export type ModelFacts = { [K in ModelName]: FactsOf<Models[K]> }[ModelName];

// Compile-time check: each entry's components carry its own name as `model` (a definition filed under the wrong key fails here).
type Misfiled = { [K in ModelName]: ComponentOf<Models[K]> extends { readonly model: K } ? never : K }[ModelName];
const _filed: [Misfiled] extends [never] ? true : Misfiled = true;
void _filed;

export const MODEL_NAMES = Object.keys(MODELS) as readonly ModelName[];

/** The definition of a model, for callers holding a component of any model (the union cannot be correlated by TypeScript). */
export function pricingModel(model: ModelName): ModelDef<PricingComponent, unknown, ModelFacts> {
  const m = (MODELS as Readonly<Record<string, unknown>>)[model];
  if (!m) throw new RangeError(`unknown pricing model ${String(model)}`);
  return m as ModelDef<PricingComponent, unknown, ModelFacts>;
}

export const isModelName = (x: string | undefined): x is ModelName => x !== undefined && Object.hasOwn(MODELS, x);

export type { ModelDef, ModelContext, ModelLine, PricedRequest, PricedWorklog, ComponentBase, AdjustmentFacts } from './types.js';
