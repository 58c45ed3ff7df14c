// VncConnections on its own (the proxy's use of it, on real sockets, is in vnc-proxy.spec.ts): the
// limits per session and per user, a connection ended once however often it is ended, and who is
// connected where, announced on each change.
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { VncConnections } from './vnc-connections';

const config = {
  get: (key: string) => ({ VNC_MAX_CONNECTIONS_PER_SESSION: 2, VNC_MAX_CONNECTIONS_PER_USER: 3 })[key],
} as unknown as ConfigService<AppConfig, true>;

const of = (sessionId: string, username: string, owner = 'alice') => ({ sessionId, owner, username });

describe('VncConnections', () => {
  let connections: VncConnections;
  beforeEach(() => (connections = new VncConnections(config)));

  it('refuses a session its third connection, whoever asks, and a user their fourth', () => {
    connections.take(of('s1', 'alice'));
    connections.take(of('s1', 'admin'));
    expect(connections.refuse('s1', 'bob')?.reason).toBe(
      '2 connections to this session are open, VNC_MAX_CONNECTIONS_PER_SESSION is 2',
    );
    connections.take(of('s2', 'alice'));
    connections.take(of('s3', 'alice'));
    expect(connections.refuse('s4', 'alice')?.reason).toBe(
      'alice has 3 connections open, VNC_MAX_CONNECTIONS_PER_USER is 3',
    );
    expect(connections.refuse('s4', 'bob')).toBeNull();
  });

  it('ends a connection once, however often its release is called', () => {
    const end = connections.take(of('s1', 'alice'));
    connections.take(of('s1', 'alice'));
    end();
    end();
    expect(connections.refuse('s1', 'alice')).toBeNull();
    expect(connections.viewersOf('s1')).toHaveLength(1);
    connections.take(of('s1', 'alice'));
    expect(connections.refuse('s1', 'alice')).not.toBeNull();
  });

  it("lists each session's viewers, longest first, per owner or for everyone", () => {
    connections.take(of('s1', 'alice'), new Date('2026-12-03T10:00:00Z'));
    const endAdmin = connections.take(of('s1', 'admin'), new Date('2026-12-03T10:05:00Z'));
    connections.take(of('s9', 'bob', 'bob'), new Date('2026-12-03T10:07:00Z'));

    expect(connections.viewersOf('s1')).toEqual([
      { username: 'alice', openedAt: '2026-12-03T10:00:00.000Z' },
      { username: 'admin', openedAt: '2026-12-03T10:05:00.000Z' },
    ]);
    expect(connections.openSessions('alice').map(({ id }) => id)).toEqual(['s1']);
    expect(connections.openSessions('carol')).toEqual([]);
    expect(connections.openSessions(null).map(({ id }) => id)).toEqual(['s1', 's9']);

    endAdmin();
    expect(connections.viewersOf('s1').map(({ username }) => username)).toEqual(['alice']);
    expect(connections.viewersOf('nope')).toEqual([]);
  });

  it('announces every open and close with the session and its owner, and forgets a session nobody views', () => {
    const seen: string[] = [];
    connections.changes.subscribe(({ sessionId, owner }) =>
      seen.push(`${sessionId}/${owner}: ${connections.viewersOf(sessionId).length}`),
    );
    const end = connections.take(of('s1', 'admin'));
    end();
    end();
    expect(seen).toEqual(['s1/alice: 1', 's1/alice: 0']);
    expect(connections.openSessions(null)).toEqual([]);
  });
});
