// Pure reducers for the list of sessions the store holds: what a socket event or a REST answer
// does to it. Newest first (createdAt, then id), like GET /api/sessions; an older copy never
// replaces a newer one.
import { isTerminal, type SessionDto } from '@vizportal/session-domain';

export function upsertSession(list: readonly SessionDto[], incoming: SessionDto): SessionDto[] {
  const index = list.findIndex((session) => session.id === incoming.id);
  if (index === -1) return sortNewestFirst([...list, incoming]);
  // Events can arrive out of order with a REST answer for the same change: keep the newest.
  if (isOlder(incoming, list[index])) return list as SessionDto[];
  const next = [...list];
  next[index] = incoming;
  return next;
}

export function removeSession(list: readonly SessionDto[], id: string): SessionDto[] {
  return list.some((session) => session.id === id)
    ? list.filter((session) => session.id !== id)
    : (list as SessionDto[]);
}

/** What the socket (or a REST answer) changed while a GET /api/sessions was under way. */
export interface ChangesSince {
  updated: ReadonlySet<string>;
  removed: ReadonlySet<string>;
}

/**
 * A fresh first page of GET /api/sessions replaces the part of the list it covers, except for what
 * changed while the request was under way: a newer copy is kept, a session launched meanwhile
 * stays, one removed meanwhile stays gone. `hasOlder` (its nextBefore was not null): the ended
 * sessions older than the page's last one, read earlier with "Show older sessions", stay too.
 */
export function mergeSnapshot(
  current: readonly SessionDto[],
  snapshot: readonly SessionDto[],
  since: ChangesSince,
  hasOlder = false,
): SessionDto[] {
  const byId = new Map(current.map((session) => [session.id, session]));
  const merged = snapshot
    .filter((fromServer) => !since.removed.has(fromServer.id))
    .map((fromServer) => {
      const mine = byId.get(fromServer.id);
      return mine && isOlder(fromServer, mine) ? mine : fromServer;
    });
  const snapshotIds = new Set(snapshot.map((session) => session.id));
  const pageEnd = hasOlder
    ? snapshot
        .filter((session) => isTerminal(session.state))
        .sort(listOrder)
        .at(-1)
    : undefined;
  const kept = current.filter(
    (session) =>
      !snapshotIds.has(session.id) &&
      (since.updated.has(session.id) ||
        // An older page's session; a live copy is not kept, as the page holds every live session.
        (pageEnd !== undefined && isTerminal(session.state) && listOrder(session, pageEnd) > 0)),
  );
  return sortNewestFirst([...merged, ...kept]);
}

/** An older page of ended sessions goes below what the list holds; a copy it has already is kept if newer. */
export function appendOlder(current: readonly SessionDto[], older: readonly SessionDto[]): SessionDto[] {
  return older.reduce<SessionDto[]>((list, session) => upsertSession(list, session), [...current]);
}

function isOlder(candidate: SessionDto, than: SessionDto): boolean {
  return Date.parse(candidate.updatedAt) < Date.parse(than.updatedAt);
}

/** Negative when `a` comes first in the list: the newer createdAt, then the greater id. */
function listOrder(a: SessionDto, b: SessionDto): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function sortNewestFirst(list: SessionDto[]): SessionDto[] {
  return list.sort(listOrder);
}
