// Issue 21 item 13: `migrate` and `token create` started at the same moment on
// a new database file. drizzle's migrator read the applied migrations before
// its transaction, so two processes both created the tables and one in seven
// failed with a raw DrizzleError ("table already exists"). Migrations now run
// in one BEGIN IMMEDIATE transaction that reads what is applied after taking
// the write lock: every process starts, the schema is applied once. The same
// holds on PostgreSQL (an advisory lock around its migrator).
import t from 'tap';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pgClient from 'pg';
import { createTestDatabase } from '../helpers/pg.js';
import { ROOT, workspace, type CliResult, type Tap } from './helpers.js';

/** The CLI from the sources (test/helpers/run-cli.ts), so the test holds what is in src/ now. */
function cli(t: Tap, args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/run-cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const MIGRATIONS = readdirSync(join(ROOT, 'drizzle', 'sqlite')).filter((f) => f.endsWith('.sql')).length;

const count = (db: string, table: string): number => {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    conn.close();
  }
};

/**
 * A process that, on each line `<store>` of its stdin (a file or a URL), opens that store (which
 * migrates it), creates a token and answers `ok` or `error <message>`: the
 * parent releases all of them at once, so they open a new file within the
 * same millisecond or so, where the CLI's own start-up would spread them out.
 */
const OPENER = `
  import { createInterface } from 'node:readline';
  const { openStore } = await import(${JSON.stringify(join(ROOT, 'src/store/open.ts'))});
  process.stdout.write('ready\\n');
  for await (const file of createInterface({ input: process.stdin })) {
    try {
      const repo = await openStore(file);
      await repo.createToken('contoso', 'admin');
      await repo.close();
      process.stdout.write('ok\\n');
    } catch (err) {
      process.stdout.write('error ' + String(err && err.message).split('\\n')[0] + '\\n');
    }
  }`;

interface Opener {
  open(file: string): Promise<string>;
}

async function opener(t: Tap): Promise<Opener> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OPENER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error('opener exited');
    return r.value;
  };
  if ((await next()) !== 'ready') throw new Error('opener did not start');
  return {
    open: (file) => {
      child.stdin.write(file + '\n');
      return next();
    },
  };
}

t.test('six processes opening a new store at the same moment: each starts, migrations applied once', async (t) => {
  const ws = workspace(t, 'migrate-lock');
  const openers = await Promise.all(Array.from({ length: 6 }, () => opener(t)));
  for (let round = 1; round <= 8; round++) {
    const db = join(ws.dir, `open-${round}.db`);
    const answers = await Promise.all(openers.map((o) => o.open(db)));
    t.same(answers, Array(6).fill('ok'), `round ${round}`);
    t.equal(count(db, '__drizzle_migrations'), MIGRATIONS, 'each migration recorded once');
    t.equal(count(db, 'api_tokens'), 6, 'six tokens');
  }
});

// PostgreSQL serializes its migrators with an advisory lock (src/store/pg.ts).
t.test('six processes opening a new PostgreSQL database at the same moment: each starts, migrations applied once', async (t) => {
  const openers = await Promise.all(Array.from({ length: 6 }, () => opener(t)));
  for (let round = 1; round <= 2; round++) {
    const pg = await createTestDatabase('tierbook_migrate');
    t.teardown(() => pg.drop());
    const answers = await Promise.all(openers.map((o) => o.open(pg.url)));
    t.same(answers, Array(6).fill('ok'), `round ${round}`);
    const c = new pgClient.Client({ connectionString: pg.url });
    await c.connect();
    try {
      const migrations = Number((await c.query('select count(*) as n from drizzle.__drizzle_migrations')).rows[0].n);
      t.equal(migrations, readdirSync(join(ROOT, 'drizzle', 'pg')).filter((f) => f.endsWith('.sql')).length, 'each migration recorded once');
      t.equal(Number((await c.query('select count(*) as n from api_tokens')).rows[0].n), 6, 'six tokens');
    } finally {
      await c.end();
    }
    await pg.drop();
  }
});

t.test('migrate and token create started at once on a new file all succeed', async (t) => {
  const ws = workspace(t, 'migrate-cli');
  const db = join(ws.dir, 'cli.db');
  const runs = await Promise.all([
    cli(t, ['migrate', '--db', db]),
    cli(t, ['token', 'create', '--partner', 'contoso', '--role', 'admin', '--db', db, '--plans', ws.plans]),
    cli(t, ['migrate', '--db', db]),
    cli(t, ['token', 'create', '--partner', 'contoso', '--role', 'viewer', '--db', db, '--plans', ws.plans]),
  ]);
  for (const [i, r] of runs.entries()) t.equal(r.code, 0, `process ${i}: ${r.stderr}`);
  for (const r of [runs[1]!, runs[3]!]) t.match(r.stdout.trim(), /^tb_[A-Za-z0-9_-]{32}$/);
  t.equal(count(db, '__drizzle_migrations'), MIGRATIONS, 'each migration recorded once');
  t.equal(count(db, 'api_tokens'), 2, 'two tokens stored');
});
