// Document links in the store (issue 23), on SQLite and PostgreSQL alike:
// the id shown once and stored only as its hash, the record as stored,
// expired links kept (the caller answers LINK_EXPIRED) until purged 30 days
// after their expiry by a later createLink.
import t, { type Test as Tap } from 'tap';
import { createHash } from 'node:crypto';
import { LINK_PURGE_AFTER_MS } from '../../src/store/links.js';
import { postgresBackend, sqliteBackend, type Backend } from './backends.js';

const DAY = 24 * 3600_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

function contract(t: Tap, b: Backend): void {
  t.test('made once, found by id, stored as a hash', async (t) => {
    const { repo, exec } = await b.open(t);
    const t0 = Date.now();
    const id = await repo.createLink('contoso', { path: 'statements/northwind/2026-10?format=html', createdBy: 'tok-1', expiresMs: NOW + 7 * DAY, nowMs: NOW });
    t.match(id, /^lk_[A-Za-z0-9_-]{32}$/);
    const found = (await repo.findLink(id))!;
    t.same({ ...found, createdAt: 'x' }, { partner: 'contoso', path: 'statements/northwind/2026-10?format=html', createdBy: 'tok-1', createdAt: 'x', expiresMs: NOW + 7 * DAY });
    t.ok(Math.abs(Date.parse(found.createdAt) - t0) < 60_000, 'createdAt: when written (the store\'s clock)');
    t.equal(typeof found.expiresMs, 'number');
    const other = await repo.createLink('fabrikam', { path: 'documents/FAB-202610-0001?format=md', createdBy: 'tok-2', expiresMs: NOW + DAY, nowMs: NOW });
    t.not(other, id);
    t.equal((await repo.findLink(other))!.partner, 'fabrikam');
    t.equal(await repo.findLink('lk_nope'), null);
    t.equal(await repo.findLink(''), null);
    // the row is keyed by the id's SHA-256: deleting that key removes the link
    await exec(`delete from document_links where id_hash = '${sha256(id)}'`);
    t.equal(await repo.findLink(id), null);
    t.equal((await repo.findLink(other))!.path, 'documents/FAB-202610-0001?format=md');
  });

  t.test('expired links are answered until a later link purges them', async (t) => {
    const { repo } = await b.open(t);
    const old = await repo.createLink('contoso', { path: 'documents/A?format=html', createdBy: 't', expiresMs: NOW - LINK_PURGE_AFTER_MS - 1, nowMs: NOW - 40 * DAY });
    const recent = await repo.createLink('contoso', { path: 'documents/B?format=html', createdBy: 't', expiresMs: NOW - LINK_PURGE_AFTER_MS, nowMs: NOW - 40 * DAY });
    t.equal((await repo.findLink(old))!.expiresMs, NOW - LINK_PURGE_AFTER_MS - 1, 'expired, still stored');
    await repo.createLink('contoso', { path: 'documents/C?format=html', createdBy: 't', expiresMs: NOW + DAY, nowMs: NOW });
    t.equal(await repo.findLink(old), null, 'expired longer than 30 days: purged');
    t.equal((await repo.findLink(recent))!.path, 'documents/B?format=html', 'expired exactly 30 days ago: kept');
  });
}

t.test('sqlite', async (t) => contract(t, await sqliteBackend(t)));
t.test('postgres', async (t) => contract(t, await postgresBackend(t)));
