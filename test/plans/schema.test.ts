import t from 'tap';
import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, VALIDATOR_FILE, schemaJson, validatorSource } from '../../scripts/write-schema.js';

t.test('committed schema/plan.schema.json is generated from schema.ts', async (t) => {
  t.equal(readFileSync(SCHEMA_FILE, 'utf8'), schemaJson(), 'run `npm run schema`');
});
t.test('committed precompiled validator is generated from schema.ts', async (t) => {
  t.equal(readFileSync(VALIDATOR_FILE, 'utf8'), validatorSource(), 'run `npm run schema`');
});
