-- The one row of the change stamp (src/store/pg-schema.ts storeChanges): every write transaction bumps it.
INSERT INTO "store_changes" ("id", "n") VALUES (1, 0) ON CONFLICT DO NOTHING;
