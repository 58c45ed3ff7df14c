// Pure reducers for the list of sessions the store holds: what a socket event or a REST answer
// does to it. Newest first, like GET /api/sessions; an older copy never replaces a newer one.
import type { SessionDto } from '@vizportal/session-domain';

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
  return list.some((session) => session.id === id) ? list.filter((session) => session.id !== id) : (list as SessionDto[]);
}

/** What the socket (or a REST answer) changed while a GET /api/sessions was under way. */
export interface ChangesSince {
  updated: ReadonlySet<string>;
  removed: ReadonlySet<string>;
}

/**
 * A fresh GET /api/sessions replaces the list, except for what changed while the request was under
 * way: a newer copy is kept, a session launched meanwhile stays, one removed meanwhile stays gone.
 */
export function mergeSnapshot(current: readonly SessionDto[], snapshot: readonly SessionDto[], since: ChangesSince): SessionDto[] {
  const byId = new Map(current.map((session) => [session.id, session]));
  const merged = snapshot
    .filter((fromServer) => !since.removed.has(fromServer.id))
    .map((fromServer) => {
      const mine = byId.get(fromServer.id);
      return mine && isOlder(fromServer, mine) ? mine : fromServer;
    });
  const snapshotIds = new Set(snapshot.map((session) => session.id));
  const keptMeanwhile = current.filter((session) => since.updated.has(session.id) && !snapshotIds.has(session.id));
  return sortNewestFirst([...merged, ...keptMeanwhile]);
}

function isOlder(candidate: SessionDto, than: SessionDto): boolean {
  return Date.parse(candidate.updatedAt) < Date.parse(than.updatedAt);
}

function sortNewestFirst(list: SessionDto[]): SessionDto[] {
  return list.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
