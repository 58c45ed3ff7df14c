// Which database failures mean "the database cannot take writes (or answer) right now" rather than
// a bug: a full disk, a read-only file, an I/O error, a file that cannot be opened, a lock held too
// long; and PostgreSQL's equivalents. They become a 503 a person can act on, never a crash.
import { QueryFailedError } from 'typeorm';

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The portal cannot save right now (disk full or read-only); try again shortly.';

/** SQLite's primary result codes (node-sqlite3 puts them in `code`). */
const SQLITE_CODES = new Set([
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * PostgreSQL SQLSTATEs: 53xxx insufficient resources (disk full, out of memory, too many
 * connections), 25006 read-only transaction, 57P01-57P03 server shutting down or starting, 08xxx
 * connection lost; and the pool's own network errors.
 */
const POSTGRES_CODE = /^(53\d{3}|25006|57P0[1-3]|08\w{3})$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
/** node-postgres's own errors when it cannot get or keep a connection; they carry no code. */
const POSTGRES_CONNECTION_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated( unexpectedly| due to connection timeout)?)$/;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True for a database failure that is about the database's state, not about the query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const candidates = error instanceof QueryFailedError ? [error.driverError, error] : [error];
  return candidates.some((candidate) => {
    const code = codeOf(candidate);
    if (!code) return candidate instanceof Error && POSTGRES_CONNECTION_MESSAGES.test(candidate.message);
    return SQLITE_CODES.has(code) || POSTGRES_CODE.test(code) || NETWORK_CODES.has(code);
  });
}
