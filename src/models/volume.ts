// volume: Q = max q(d); all Q units at the first tier whose upTo >= Q (else
// the last), plus its flat, × activeDays / D (SPEC §4.1).
import { tieredModel, volumePrice } from './tiers.js';

export const volume = tieredModel('volume', volumePrice);
