// The PostgreSQL schema mirrors the SQLite one table for table (SPEC §13):
// same tables, columns, primary keys, indexes and foreign keys, so `tierbook
// copy` moves rows unchanged and a table added to one schema but not the
// other fails here, not in production.
import t from 'tap';
import { is } from 'drizzle-orm';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import * as lite from '../../src/store/schema.js';
import * as pgs from '../../src/store/pg-schema.js';

/** Only PostgreSQL needs these (see pg-schema.ts). */
const PG_ONLY = ['number_counters', 'store_changes'];

type Shape = { columns: string[]; notNull: string[]; key: string[]; indexes: string[]; foreignKeys: string[] };

function shapes(tables: unknown[], config: (t: never) => ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const table of tables) {
    const c = config(table as never);
    const key = c.primaryKeys[0]?.columns.map((x) => x.name) ?? c.columns.filter((x) => x.primary).map((x) => x.name);
    out.set(c.name, {
      columns: c.columns.map((x) => x.name).sort(),
      notNull: c.columns.filter((x) => x.notNull).map((x) => x.name).sort(),
      key,
      indexes: c.indexes.map((i) => `${i.config.name}${i.config.unique ? ' unique' : ''} (${i.config.columns.map((x) => (x as { name: string }).name).join(', ')})`).sort(),
      foreignKeys: c.foreignKeys.map((f) => {
        const r = f.reference();
        return `(${r.columns.map((x) => x.name).join(', ')}) -> ${r.foreignColumns[0] ? (r.foreignTable as unknown as { [k: symbol]: string })[Symbol.for('drizzle:Name')] : ''}(${r.foreignColumns.map((x) => x.name).join(', ')})`;
      }).sort(),
    });
  }
  return out;
}

t.test('every SQLite table has its PostgreSQL twin, and only the two PostgreSQL-only tables are extra', async (t) => {
  const a = shapes(Object.values(lite).filter((x) => is(x as object, SQLiteTable)), sqliteConfig as never);
  const b = shapes(Object.values(pgs).filter((x) => is(x as object, PgTable)), pgConfig as never);
  t.same([...b.keys()].filter((n) => !PG_ONLY.includes(n)).sort(), [...a.keys()].sort());
  for (const [name, shape] of a) t.same(b.get(name), shape, name);
});
