import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { sessionDto } from '../../../testing/session-dto.fixture';
import { FakeSessionSocket } from '../../../testing/fake-session-socket';
import { AuthStore } from './auth.store';
import { SESSION_SOCKET_FACTORY } from './session-socket';
import { type SessionChange, SessionStore } from './session-store';

describe('SessionStore', () => {
  let store: SessionStore;
  let http: HttpTestingController;
  let socket: FakeSessionSocket;
  let changes: SessionChange[];

  const settle = () => new Promise((resolve) => setTimeout(resolve));

  beforeEach(async () => {
    socket = new FakeSessionSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SESSION_SOCKET_FACTORY, useValue: () => socket.asSocket() },
      ],
    });
    store = TestBed.inject(SessionStore);
    http = TestBed.inject(HttpTestingController);
    changes = [];
    store.changes.subscribe((change) => changes.push(change));
    store.start();
    http.expectOne('/api/sessions').flush({ sessions: [sessionDto({ id: 'a' })], nextBefore: null });
    await settle();
    socket.open();
  });

  afterEach(() => http.verify());

  it('reads the list once at start, without a second read on the first connect', () => {
    expect(store.loaded()).toBe(true);
    expect(store.sessions().map((s) => s.id)).toEqual(['a']);
    expect(store.socketState()).toBe('connected');
  });

  it("applies 'session.updated': a change of a known session, and a new one", () => {
    socket.receive(
      'session.updated',
      sessionDto({ id: 'a', state: 'running', updatedAt: '2026-03-02T10:05:00.000Z' }),
    );
    socket.receive(
      'session.updated',
      sessionDto({ id: 'b', createdAt: '2026-03-02T10:06:00.000Z', updatedAt: '2026-03-02T10:06:00.000Z' }),
    );
    expect(store.sessions().map((s) => `${s.id}:${s.state}`)).toEqual(['b:queued', 'a:running']);
    expect(changes.map((c) => `${c.previous?.state ?? '-'}→${c.current.state}`)).toEqual([
      'queued→running',
      '-→queued',
    ]);
    expect(store.liveCount()).toBe(2);
  });

  it("applies 'session.removed'", () => {
    socket.receive('session.removed', { id: 'a' });
    expect(store.sessions()).toEqual([]);
  });

  it("keeps the scheduler's status", () => {
    socket.receive('scheduler.status', {
      reachable: false,
      since: '2026-03-02T10:00:00.000Z',
      message: 'Unable to contact slurm controller',
    });
    expect(store.scheduler()?.reachable).toBe(false);
  });

  it("keeps who has each desktop open from 'session.viewers', forgetting a session nobody views", () => {
    const alice = { username: 'alice', openedAt: '2026-03-02T10:05:00.000Z' };
    const admin = { username: 'admin', openedAt: '2026-03-02T10:06:00.000Z' };
    socket.receive('session.viewers', { id: 'a', viewers: [alice] });
    socket.receive('session.viewers', { id: 'b', viewers: [alice, admin] });
    socket.receive('session.viewers', { id: 'a', viewers: [] });
    expect([...store.viewers()]).toEqual([['b', [alice, admin]]]);
  });

  it('forgets the viewers at a reconnect, when the server sends them afresh, and at logout', async () => {
    socket.receive('session.viewers', { id: 'a', viewers: [{ username: 'alice', openedAt: 'x' }] });
    socket.drop();
    socket.open();
    expect(store.viewers().size).toBe(0);
    http.expectOne('/api/sessions').flush({ sessions: [], nextBefore: null });
    await settle();
    socket.receive('session.viewers', { id: 'a', viewers: [{ username: 'alice', openedAt: 'y' }] });
    expect(store.viewers().get('a')).toEqual([{ username: 'alice', openedAt: 'y' }]);
    store.stop();
    expect(store.viewers().size).toBe(0);
  });

  it('shows a dropped socket, and reads the list once more when it is back', async () => {
    socket.drop();
    expect(store.socketState()).toBe('reconnecting');
    http.expectNone('/api/sessions');

    socket.open();
    expect(store.socketState()).toBe('connected');
    http.expectOne('/api/sessions').flush({
      sessions: [sessionDto({ id: 'a', state: 'running', updatedAt: '2026-03-02T10:09:00.000Z' })],
      nextBefore: null,
    });
    await settle();
    expect(store.sessions()[0].state).toBe('running');
    // The change happened while the socket was away: it is still announced.
    expect(changes.map((c) => c.current.state)).toEqual(['running']);
  });

  it('reconnects itself when the server closed the socket', () => {
    socket.drop('io server disconnect');
    expect(socket.connectCalls).toBe(1);
  });

  it('treats a refused handshake as a lost login', () => {
    const expire = jest.spyOn(TestBed.inject(AuthStore), 'expire');
    socket.active = false;
    socket.receive('connect_error', new Error('Log in first'));
    expect(expire).toHaveBeenCalled();
  });

  it('closes the socket and forgets everything on stop', () => {
    store.stop();
    expect(socket.disconnectCalls).toBe(1);
    expect(store.sessions()).toEqual([]);
    expect(store.socketState()).toBe('offline');
  });

  it('applies the answer of a REST action at once', async () => {
    const stopping = store.stopSession('a');
    http
      .expectOne({ method: 'POST', url: '/api/sessions/a/stop' })
      .flush(sessionDto({ id: 'a', state: 'cancelled', updatedAt: '2026-03-02T10:01:00.000Z' }));
    await stopping;
    expect(store.session('a')?.state).toBe('cancelled');

    const removing = store.remove('a');
    http
      .expectOne({ method: 'DELETE', url: '/api/sessions/a' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await removing;
    expect(store.sessions()).toEqual([]);
  });

  describe('older sessions, a page at a time', () => {
    const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const ended = (id: string, minute: number) =>
      sessionDto({
        id,
        state: 'completed',
        createdAt: at(minute),
        updatedAt: at(minute),
        canStop: false,
        canDelete: true,
      });
    const ids = () => store.sessions().map((s) => s.id);

    /** The first page says there is more: e50 and e40 ended, the rest older. */
    async function firstPageWithMore(): Promise<void> {
      socket.drop();
      socket.open();
      http
        .expectOne('/api/sessions')
        .flush({ sessions: [sessionDto({ id: 'a' }), ended('e50', 50), ended('e40', 40)], nextBefore: 'c1' });
      await settle();
    }

    it('has nothing older to show when the first page says so', () => {
      expect(store.hasOlder()).toBe(false);
    });

    it('loads the next page below the list, until the API says there is none', async () => {
      await firstPageWithMore();
      expect(store.hasOlder()).toBe(true);

      const loading = store.loadOlder();
      expect(store.loadingOlder()).toBe(true);
      void store.loadOlder(); // a second click meanwhile sends nothing more
      http
        .expectOne('/api/sessions?before=c1')
        .flush({ sessions: [ended('e30', 30), ended('e20', 20)], nextBefore: 'c2' });
      await loading;
      expect(ids()).toEqual(['a', 'e50', 'e40', 'e30', 'e20']);
      expect(store.loadingOlder()).toBe(false);

      const last = store.loadOlder();
      http.expectOne('/api/sessions?before=c2').flush({ sessions: [ended('e10', 10)], nextBefore: null });
      await last;
      expect(ids()).toEqual(['a', 'e50', 'e40', 'e30', 'e20', 'e10']);
      expect(store.hasOlder()).toBe(false);
      await store.loadOlder();
      http.expectNone((request) => request.url === '/api/sessions');
    });

    it('adds a socket update of a session it does not hold on top, and keeps the older pages when the socket comes back', async () => {
      await firstPageWithMore();
      const loading = store.loadOlder();
      http.expectOne('/api/sessions?before=c1').flush({ sessions: [ended('e30', 30)], nextBefore: 'c2' });
      await loading;

      socket.receive(
        'session.updated',
        sessionDto({
          id: 'new',
          createdAt: '2026-03-02T10:30:00.000Z',
          updatedAt: '2026-03-02T10:30:00.000Z',
        }),
      );
      expect(ids()).toEqual(['new', 'a', 'e50', 'e40', 'e30']);

      // Back after a drop: the first page is read again; the older page stays, and so does its cursor.
      socket.drop();
      socket.open();
      http.expectOne('/api/sessions').flush({
        sessions: [
          sessionDto({
            id: 'new',
            createdAt: '2026-03-02T10:30:00.000Z',
            updatedAt: '2026-03-02T10:30:00.000Z',
          }),
          sessionDto({ id: 'a' }),
          ended('e50', 50),
          ended('e40', 40),
        ],
        nextBefore: 'c1',
      });
      await settle();
      expect(ids()).toEqual(['new', 'a', 'e50', 'e40', 'e30']);
      const next = store.loadOlder();
      http.expectOne('/api/sessions?before=c2').flush({ sessions: [], nextBefore: null });
      await next;
    });

    it('forgets the older pages on logout', async () => {
      await firstPageWithMore();
      store.stop();
      expect(store.hasOlder()).toBe(false);
    });
  });
});
