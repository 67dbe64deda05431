// Document links (issue 23): a link's id is shown once, when made; the store
// keeps its hex SHA-256 (as it keeps tokens), the partner, the document path
// and the expiry. The SQL is written once with `?` for both backends
// (PostgreSQL numbers it). Whether a link has expired is the caller's to judge
// (its clock): the store answers expired links too, until they are purged.
import { randomBytes } from 'node:crypto';

/** A stored link: whose, which document, by which token, until when (epoch ms). */
export interface LinkRecord {
  readonly partner: string;
  readonly path: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresMs: number;
}

/** What createLink stores; `nowMs` (the caller's clock) also decides which expired links are purged. */
export interface NewLink {
  readonly path: string;
  readonly createdBy: string;
  readonly expiresMs: number;
  readonly nowMs: number;
}

/** Links expired longer than this before a new link is made are deleted (until then they answer LINK_EXPIRED, not LINK_NOT_FOUND). */
export const LINK_PURGE_AFTER_MS = 30 * 24 * 3600_000;

/** A new link id: 192 random bits, URL-safe. */
export const newLinkId = (): string => `lk_${randomBytes(24).toString('base64url')}`;

export const LINK_SQL = {
  insert: 'insert into document_links (id_hash, partner, path, created_by, created_at, expires_ms) values (?, ?, ?, ?, ?, ?)',
  purge: 'delete from document_links where expires_ms < ?',
  byHash: 'select id_hash as "idHash", partner, path, created_by as "createdBy", created_at as "createdAt", expires_ms as "expiresMs" from document_links where id_hash = ?',
} as const;

export interface LinkRow extends LinkRecord {
  readonly idHash: string;
}

/** The record of a row (PostgreSQL's bigint may arrive as text). */
export const linkOf = (row: LinkRow): LinkRecord => ({ partner: row.partner, path: row.path, createdBy: row.createdBy, createdAt: row.createdAt, expiresMs: Number(row.expiresMs) });
