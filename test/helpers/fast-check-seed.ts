// Loaded before every test file (package.json tap.node-arg): property tests
// that name no seed of their own run with this fixed one, so `npm test` is
// repeatable (issue 21 item 16). FC_SEED=<n> explores other inputs; a failure
// prints its seed and path either way (fast-check's report).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_203) });
