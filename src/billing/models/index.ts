// The factory: model name -> implementation (SPEC §4.1).
import type { PricingModel, ModelName } from './types.js';
import { flat } from './flat.js';
import { perUnit } from './per-unit.js';
import { graduated } from './graduated.js';
import { volume } from './volume.js';
import { perIncident } from './per-incident.js';
import { hourly } from './hourly.js';
import { percentOfSpend } from './percent-of-spend.js';

const models: Readonly<Record<ModelName, PricingModel>> = {
  flat,
  'per-unit': perUnit,
  graduated,
  volume,
  'per-incident': perIncident,
  hourly,
  'percent-of-spend': percentOfSpend,
};

export function pricingModel(model: ModelName): PricingModel {
  const m = models[model];
  if (!m) throw new RangeError(`unknown pricing model ${String(model)}`);
  return m;
}

export type { PricingModel, ModelContext, ModelLine, PricedRequest, PricedWorklog } from './types.js';
