import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { of, Subject } from 'rxjs';
import { runningSessionDto, sessionDto } from '../../../testing/session-dto.fixture';
import { AuthStore } from '../../shared/data-access/auth.store';
import { Clock } from '../../shared/data-access/clock';
import { minutesLeft } from '../../shared/data-access/time-format';
import { SessionAlerts, becameReady } from './session-alerts.service';
import { SessionStore } from '../../shared/data-access/session-store';

describe('SessionAlerts', () => {
  const NOW = Date.parse('2026-03-02T11:00:00.000Z');
  let open: jest.Mock;

  beforeEach(async () => {
    open = jest.fn(() => ({ onAction: () => of(), dismiss: jest.fn() }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: { open } },
      ],
    });
    TestBed.inject(Clock).tick(NOW);
    // The fixtures' sessions are alice's.
    const loaded = TestBed.inject(AuthStore).ensureLoaded();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/me')
      .flush({ username: 'alice', isAdmin: true, authMode: 'local', groups: [] });
    await loaded;
  });

  it('knows when a desktop became ready, and how long it has left', () => {
    expect(
      becameReady({ previous: sessionDto({ state: 'queued' }), current: runningSessionDto(NOW, 0) }),
    ).toBe(true);
    expect(becameReady({ previous: runningSessionDto(NOW, 1), current: runningSessionDto(NOW, 1) })).toBe(
      false,
    );
    expect(becameReady({ previous: undefined, current: runningSessionDto(NOW, 0) })).toBe(false);
    expect(minutesLeft(runningSessionDto(NOW, 45, { timeLimitMinutes: 60 }), NOW)).toBe(15);
  });

  it('toasts when a queued session starts running', () => {
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    store.apply(sessionDto({ state: 'queued' }));
    store.apply(runningSessionDto(NOW, 0, { updatedAt: '2026-03-02T11:00:00.000Z' }));
    expect(open).toHaveBeenCalledWith('Desktop is ready on viz01.', 'Open', expect.anything());
  });

  it("marks the tab's title when a desktop becomes ready while the user looks elsewhere", () => {
    const document = TestBed.inject(DOCUMENT);
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    TestBed.inject(Title).setTitle('My sessions · vizportal');
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    store.apply(sessionDto({ state: 'queued' }));
    store.apply(runningSessionDto(NOW, 0, { updatedAt: '2026-03-02T11:00:00.000Z' }));
    expect(TestBed.inject(Title).getTitle()).toBe('● Desktop is ready · My sessions · vizportal');
    delete (document as { hidden?: boolean }).hidden;
  });

  it("warns once, from the API's timeWarningAt", () => {
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    const clock = TestBed.inject(Clock);
    // Started 40 min ago with an hour: warned at 50 min (the site's 10 minutes before the end).
    store.apply(runningSessionDto(NOW, 40, { timeLimitMinutes: 60 }));
    TestBed.tick();
    clock.tick(NOW + 9 * 60_000);
    TestBed.tick();
    expect(open).not.toHaveBeenCalled();

    clock.tick(NOW + 11 * 60_000);
    TestBed.tick();
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0][0]).toContain('ends in 9 min');

    clock.tick(NOW + 12 * 60_000);
    TestBed.tick();
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('offers an hour more in the warning, asks the API for it, and says what the session has now', async () => {
    const action = new Subject<void>();
    open.mockImplementation(() => ({ onAction: () => action, dismiss: jest.fn() }));
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    const clock = TestBed.inject(Clock);
    const session = runningSessionDto(NOW, 50, { timeLimitMinutes: 60 });
    store.apply(session);
    TestBed.tick();
    expect(open).toHaveBeenCalledWith(
      expect.stringContaining('ends in 10 min'),
      'Extend 1 h',
      expect.anything(),
    );

    action.next();
    const request = TestBed.inject(HttpTestingController).expectOne(`/api/sessions/${session.id}/extend`);
    expect(request.request.body).toEqual({ minutes: 60 });
    request.flush({
      ...session,
      timeLimitMinutes: 120,
      extendedMinutes: 60,
      updatedAt: '2026-03-02T11:00:01.000Z',
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(open).toHaveBeenLastCalledWith(
      'Desktop has 1 h more: 1 h 10 min left.',
      undefined,
      expect.anything(),
    );
    expect(store.sessions().find((s) => s.id === session.id)?.timeLimitMinutes).toBe(120);

    // The new limit gets a warning of its own when it comes near.
    clock.tick(NOW + 60 * 60_000);
    TestBed.tick();
    expect(open).toHaveBeenLastCalledWith(
      expect.stringContaining('ends in 10 min'),
      'Extend 1 h',
      expect.anything(),
    );
  });

  it('warns once of an idle stop the API announces, again for a new stop time, and keeps the session on request', async () => {
    const action = new Subject<void>();
    open.mockImplementation(() => ({ onAction: () => action, dismiss: jest.fn() }));
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    const idleStop = { at: '2026-03-02T12:05:00.000Z', reason: 'Stopped after 2 h without a connection.' };
    const session = runningSessionDto(NOW, 115, { idleStop, updatedAt: '2026-03-02T11:55:00.000Z' });
    store.apply(session);
    TestBed.tick();
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0][0]).toMatch(
      /^Desktop on viz01 will be stopped at .+, as nobody is using it \(2 h without a connection\)\.$/,
    );
    expect(open.mock.calls[0][1]).toBe('Keep it running');
    // The same warning again (another update of the session) is not a second toast.
    store.apply({ ...session, updatedAt: '2026-03-02T11:56:00.000Z' });
    TestBed.tick();
    expect(open).toHaveBeenCalledTimes(1);

    action.next();
    const request = TestBed.inject(HttpTestingController).expectOne(`/api/sessions/${session.id}/keep`);
    expect(request.request.method).toBe('POST');
    request.flush({ ...session, idleStop: null, updatedAt: '2026-03-02T11:57:00.000Z' });
    await Promise.resolve();
    await Promise.resolve();
    expect(open).toHaveBeenLastCalledWith('Desktop keeps running.', undefined, expect.anything());
    expect(store.sessions().find((s) => s.id === session.id)?.idleStop).toBeNull();

    // Idle again later: a new stop time is a new warning.
    store.apply({
      ...session,
      idleStop: { ...idleStop, at: '2026-03-02T14:05:00.000Z' },
      updatedAt: '2026-03-02T13:55:00.000Z',
    });
    TestBed.tick();
    expect(open).toHaveBeenLastCalledWith(
      expect.stringContaining('will be stopped at'),
      'Keep it running',
      expect.anything(),
    );
  });

  it("says nothing of another user's session, which an administrator's store also holds", () => {
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    const clock = TestBed.inject(Clock);
    store.apply(sessionDto({ id: 'b1', owner: 'bob', state: 'queued' }));
    store.apply(runningSessionDto(NOW, 40, { id: 'b1', owner: 'bob', timeLimitMinutes: 60 }));
    clock.tick(NOW + 6 * 60_000);
    TestBed.tick();
    expect(open).not.toHaveBeenCalled();
  });
});
