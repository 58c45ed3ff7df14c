// Where a page of ended sessions stops: the createdAt and id of its last session (the list's order).
// Clients get it as an opaque string (GET /api/sessions `nextBefore`) and hand it back as `before`,
// so the order can change later without breaking them.

export interface SessionCursor {
  createdAt: Date;
  id: string;
}

export function encodeSessionCursor(cursor: SessionCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

const DECODED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9A-Za-z-]{1,36})$/;

/** The cursor, or null for anything encodeSessionCursor did not make. */
export function decodeSessionCursor(text: string): SessionCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const match = DECODED.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const createdAt = new Date(match[1]);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: match[2] };
}
