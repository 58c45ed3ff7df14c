import { sessionDto } from '../../../testing/session-dto.fixture';
import { mergeSnapshot, removeSession, upsertSession } from './session-list';

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
    expect(merged.map((s) => `${s.id}:${s.state}`)).toEqual(['launched-meanwhile:queued', 'b:running', 'a:cancelled']);
  });

  it('drops sessions the fresh list no longer has (removed while the socket was away)', () => {
    expect(mergeSnapshot([newer, older], [older], { updated: new Set(), removed: new Set() }).map((s) => s.id)).toEqual(['a']);
  });
});
