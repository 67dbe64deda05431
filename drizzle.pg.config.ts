// drizzle-kit, PostgreSQL dialect: the pg-core mirror of the SQLite schema.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/pg-schema.ts',
  out: './drizzle/pg',
});
