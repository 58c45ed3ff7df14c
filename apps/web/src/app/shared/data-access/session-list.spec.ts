import { sessionDto } from '../../../testing/session-dto.fixture';
import { appendOlder, mergeSnapshot, removeSession, upsertSession } from './session-list';

const at = (minute: number) => `2026-03-02T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('session list reducers', () => {
  const older = sessionDto({ id: 'a', createdAt: at(0), updatedAt: at(0) });
  const newer = sessionDto({ id: 'b', createdAt: at(5), updatedAt: at(5) });

  it('adds a new session in order, newest first', () => {
    expect(upsertSession([older], newer).map((s) => s.id)).toEqual(['b', 'a']);
  });

  it('replaces a session with a newer copy, and ignores an older one', () => {
    const running = { ...older, state: 'running' as const, updatedAt: at(3) };
    const list = upsertSession([older], running);
    expect(list[0].state).toBe('running');
    const stale = upsertSession(list, { ...older, state: 'starting', updatedAt: at(2) });
    expect(stale).toBe(list);
  });

  it('removes a session by id, and leaves the list alone for an unknown id', () => {
    const list = [newer, older];
    expect(removeSession(list, 'a').map((s) => s.id)).toEqual(['b']);
    expect(removeSession(list, 'zzz')).toBe(list);
  });

  it('merges a fresh list with what the socket changed while it was being read', () => {
    const current = [
      sessionDto({ id: 'launched-meanwhile', createdAt: at(9), updatedAt: at(9) }),
      { ...newer, state: 'running' as const, updatedAt: at(8) },
      older,
    ];
    const snapshot = [
      { ...newer, state: 'starting' as const, updatedAt: at(7) },
      { ...older, state: 'cancelled' as const, updatedAt: at(6) },
      sessionDto({ id: 'deleted-meanwhile', createdAt: at(1), updatedAt: at(1) }),
    ];
    const merged = mergeSnapshot(current, snapshot, {
      updated: new Set(['launched-meanwhile', 'b']),
      removed: new Set(['deleted-meanwhile']),
    });
    expect(merged.map((s) => `${s.id}:${s.state}`)).toEqual([
      'launched-meanwhile:queued',
      'b:running',
      'a:cancelled',
    ]);
  });

  it('drops sessions the fresh list no longer has (removed while the socket was away)', () => {
    expect(
      mergeSnapshot([newer, older], [older], { updated: new Set(), removed: new Set() }).map((s) => s.id),
    ).toEqual(['a']);
  });

  describe('with older pages of ended sessions', () => {
    const ended = (id: string, minute: number) =>
      sessionDto({ id, state: 'completed', createdAt: at(minute), updatedAt: at(minute) });
    const live = (id: string, minute: number) =>
      sessionDto({ id, state: 'running', createdAt: at(minute), updatedAt: at(minute) });
    const none = { updated: new Set<string>(), removed: new Set<string>() };

    it('puts an older page below, ties broken by id as the API does, keeping newer copies', () => {
      const list = [live('l', 9), ended('e5', 5)];
      const newerCopy = { ...ended('e5', 5), updatedAt: at(6) };
      const appended = appendOlder(
        [live('l', 9), newerCopy],
        [ended('e5', 5), ended('e3a', 3), ended('e3b', 3), ended('e1', 1)],
      );
      expect(appended.map((s) => s.id)).toEqual(['l', 'e5', 'e3b', 'e3a', 'e1']);
      expect(appended[1].updatedAt).toBe(at(6));
      expect(list.map((s) => s.id)).toEqual(['l', 'e5']);
    });

    it('a fresh first page keeps the older pages read before, and drops what it no longer has above them', () => {
      // Read before: first page [l, e8, e5] and an older one [e3, e1]; meanwhile e8 was deleted, e9 launched and ended, and
      // the old live session o2 ended (so it now belongs to an older page, where it will be read again).
      const current = [
        live('l', 9),
        ended('e8', 8),
        ended('e5', 5),
        ended('e3', 3),
        live('o2', 2),
        ended('e1', 1),
      ];
      const page = [{ ...live('l', 9), updatedAt: at(10) }, ended('e9', 8), ended('e5', 5)];
      expect(mergeSnapshot(current, page, none, true).map((s) => s.id)).toEqual([
        'l',
        'e9',
        'e5',
        'e3',
        'e1',
      ]);
      // Nothing older on the server any more: the first page is the whole list.
      expect(mergeSnapshot(current, page, none, false).map((s) => s.id)).toEqual(['l', 'e9', 'e5']);
    });
  });
});
