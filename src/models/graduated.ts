// graduated: Q = max q(d) over the active days, each unit priced in the tier
// it falls in, plus the flat of every tier reached, × activeDays / D (SPEC §4.1).
import { graduatedPrice, tieredModel } from './tiers.js';

export const graduated = tieredModel('graduated', graduatedPrice);
