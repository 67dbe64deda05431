// drizzle-kit, SQLite dialect (`npm run db:generate` runs this and drizzle.pg.config.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './drizzle/sqlite',
});
